package weft.policy.model;

import java.util.List;

/**
 * One allow or deny rule of a Kubernetes or Cilium policy: it matches a flow when a peer matches
 * (peers are OR'd; an empty list matches nothing) and a port rule matches ({@code ports} empty: all
 * protocols and ports). {@code path} locates it, e.g. {@code spec.ingressDeny[0]}.
 */
public record Rule(String path, Action action, List<Peer> peers, List<PortRule> ports) {
  public Rule {
    peers = List.copyOf(peers);
    ports = List.copyOf(ports);
  }
}
