package weft.api.k8s;

import java.util.List;
import java.util.Objects;
import weft.api.meta.Cidr;

/**
 * NetworkPolicy {@code ipBlock}: addresses in {@code cidr} but in none of {@code except}.
 *
 * @param cidr the allowed network
 * @param except networks inside {@code cidr} to leave out (decoding checks they are inside)
 */
public record IpBlock(Cidr cidr, List<Cidr> except) {
  public IpBlock {
    Objects.requireNonNull(cidr, "cidr");
    except = List.copyOf(except);
  }
}
