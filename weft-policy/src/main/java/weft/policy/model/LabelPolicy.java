package weft.policy.model;

import java.util.List;
import java.util.Set;

/**
 * A translated Kubernetes NetworkPolicy or Cilium (clusterwide) network policy: the subjects it
 * selects, the directions in which it puts them in default deny, its rules per direction, and
 * Cilium's {@code fromRequires}/{@code toRequires}. A namespaced policy carries its namespace in
 * {@code subject}.
 */
public record LabelPolicy(
    PolicyRef ref,
    LabelSelector subject,
    Set<Direction> defaultDeny,
    List<Rule> ingress,
    List<Rule> egress,
    List<LabelSelector> ingressRequires,
    List<LabelSelector> egressRequires) {
  public LabelPolicy {
    defaultDeny = defaultDeny.isEmpty() ? Set.of() : Set.copyOf(defaultDeny);
    ingress = List.copyOf(ingress);
    egress = List.copyOf(egress);
    ingressRequires = List.copyOf(ingressRequires);
    egressRequires = List.copyOf(egressRequires);
  }

  public List<Rule> rules(Direction d) {
    return d == Direction.INGRESS ? ingress : egress;
  }

  public List<LabelSelector> requires(Direction d) {
    return d == Direction.INGRESS ? ingressRequires : egressRequires;
  }
}
