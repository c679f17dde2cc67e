package weft.policy.model;

import java.util.List;

/**
 * A Cilium {@code toPorts} entry or a Kubernetes {@code ports} list: the ports (OR'd) and the L7
 * rules that apply on them. {@code path} locates it, e.g. {@code spec.ingress[0].toPorts[1]}.
 */
public record PortRule(String path, List<PortMatch> ports, L7Rules l7) {
  public PortRule {
    ports = List.copyOf(ports);
  }
}
