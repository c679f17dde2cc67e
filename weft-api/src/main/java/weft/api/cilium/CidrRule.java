package weft.api.cilium;

import java.util.List;
import java.util.Objects;
import weft.api.meta.Cidr;

/**
 * One {@code fromCIDR}/{@code toCIDR} entry (with no exceptions) or {@code fromCIDRSet}/{@code
 * toCIDRSet} entry: addresses in {@code cidr} but in none of {@code except}.
 */
public record CidrRule(Cidr cidr, List<Cidr> except) {
  public CidrRule {
    Objects.requireNonNull(cidr, "cidr");
    except = List.copyOf(except);
  }
}
