package weft.api.k8s;

import java.util.List;

/**
 * One NetworkPolicy {@code ingress[]} or {@code egress[]} rule. A flow matches when it matches any
 * peer (or {@code peers} is empty: every peer) and any port (or {@code ports} is empty: every port).
 *
 * @param peers the {@code from} (ingress) or {@code to} (egress) list
 * @param ports the {@code ports} list
 */
public record NetworkPolicyRule(List<NetworkPolicyPeer> peers, List<NetworkPolicyPort> ports) {
  public NetworkPolicyRule {
    peers = List.copyOf(peers);
    ports = List.copyOf(ports);
  }
}
