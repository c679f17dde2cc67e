package weft.policy.translate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import weft.api.NetworkPolicy;
import weft.api.k8s.NetworkPolicyPeer;
import weft.api.k8s.NetworkPolicyPort;
import weft.api.k8s.NetworkPolicyRule;
import weft.api.meta.PortRef;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.PortMatch;
import weft.policy.model.PortRule;
import weft.policy.model.PortSpec;
import weft.policy.model.Protocol;
import weft.policy.model.Rule;

/**
 * Kubernetes NetworkPolicy -> IR (kubernetes.io "Network Policies"): isolation by policyTypes,
 * allow rules only, namespaceSelector AND podSelector within one peer, ipBlock with except over any
 * address, ports with endPort and named ports.
 */
final class KubernetesTranslator {
  private KubernetesTranslator() {}

  static LabelPolicy translate(NetworkPolicy np) {
    String ns = np.metadata().namespace();
    PolicyRef ref = new PolicyRef(Dialect.KUBERNETES, "NetworkPolicy", ns, np.metadata().name());
    LabelSelector subject = Selectors.of(np.podSelector()).and(Identity.NAMESPACE, ns);
    Set<Direction> isolates = EnumSet.noneOf(Direction.class);
    // rules of a direction not in policyTypes have no effect ("policyTypes")
    List<Rule> ingress = List.of();
    List<Rule> egress = List.of();
    if (np.isolatesIngress()) {
      isolates.add(Direction.INGRESS);
      ingress = rules(np.ingress(), "spec.ingress", ns);
    }
    if (np.isolatesEgress()) {
      isolates.add(Direction.EGRESS);
      egress = rules(np.egress(), "spec.egress", ns);
    }
    return new LabelPolicy(ref, subject, isolates, ingress, egress, List.of(), List.of());
  }

  private static List<Rule> rules(List<NetworkPolicyRule> rules, String base, String ns) {
    List<Rule> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      NetworkPolicyRule r = rules.get(i);
      String path = base + "[" + i + "]";
      List<Peer> peers = new ArrayList<>();
      if (r.peers().isEmpty()) peers.add(new Peer.Any());
      for (NetworkPolicyPeer p : r.peers()) {
        switch (p) {
          case NetworkPolicyPeer.Pods pods -> {
            LabelSelector s = Selectors.of(pods.pods());
            // podSelector alone: the policy's namespace; with namespaceSelector: both must match
            s = pods.namespaces().isPresent()
                ? s.and(Selectors.namespaceLabels(pods.namespaces().get()))
                : s.and(Identity.NAMESPACE, ns);
            peers.add(new Peer.Endpoints(s));
          }
          case NetworkPolicyPeer.Addresses a -> peers.add(new Peer.Block(
              Addresses.cidr(a.ipBlock().cidr()),
              a.ipBlock().except().stream().map(Addresses::cidr).toList(), true));
        }
      }
      List<PortRule> ports = r.ports().isEmpty()
          ? List.of()
          : List.of(new PortRule(path + ".ports", r.ports().stream().map(KubernetesTranslator::port).toList(), L7Rules.NONE));
      out.add(new Rule(path, Action.ALLOW, peers, ports));
    }
    return out;
  }

  private static PortMatch port(NetworkPolicyPort p) {
    Protocol proto = Protocol.valueOf(p.protocol().name());
    if (p.port().isEmpty()) return PortMatch.all(proto);
    return switch (p.port().get()) {
      case PortRef.Number n -> new PortMatch(proto, new PortSpec.Range(n.port(), p.endPort().orElse(n.port())));
      case PortRef.Name name -> new PortMatch(proto, new PortSpec.Named(name.name()));
    };
  }
}
