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
    if (ref.dialect() == Dialect.KUBERNETES) {
      kubernetesOnly(ref, ingress, ingressRequires);
      kubernetesOnly(ref, egress, egressRequires);
    }
  }

  /**
   * A NetworkPolicy is L3/L4 allow rules only. Cilium's additions (L7 rules, deny rules,
   * requirements) in a Kubernetes policy have no documented meaning; the evaluator and the RBAC
   * export once gave L7 rules two different ones, so the model refuses them.
   */
  private static void kubernetesOnly(PolicyRef ref, List<Rule> rules, List<LabelSelector> requires) {
    if (!requires.isEmpty()) {
      throw new IllegalArgumentException(ref + ": requirements in a Kubernetes policy (expected: none, they are Cilium's)");
    }
    for (Rule r : rules) {
      if (r.action() != Action.ALLOW) {
        throw new IllegalArgumentException(ref.rule(r.path()) + ": deny rule in a Kubernetes policy (expected: allow rules only)");
      }
      for (PortRule p : r.ports()) {
        if (!(p.l7() instanceof L7Rules.None)) {
          throw new IllegalArgumentException(ref.rule(p.path())
              + ": L7 rules in a Kubernetes policy (expected: none, NetworkPolicy is L3/L4 only)");
        }
      }
    }
  }

  public List<Rule> rules(Direction d) {
    return d == Direction.INGRESS ? ingress : egress;
  }

  public List<LabelSelector> requires(Direction d) {
    return d == Direction.INGRESS ? ingressRequires : egressRequires;
  }
}
