package weft.api.cilium;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code toPorts[]} entry: the flow must use one of {@code ports} (empty: any port) and, with
 * {@code rules}, pass the L7 rules. Deny rules never carry L7 rules (Cilium's PortDenyRule).
 */
public record PortRule(List<PortProtocol> ports, Optional<L7Rules> rules) {
  public PortRule {
    ports = List.copyOf(ports);
    Objects.requireNonNull(rules, "rules");
  }
}
