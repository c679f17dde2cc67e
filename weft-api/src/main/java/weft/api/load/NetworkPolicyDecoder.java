package weft.api.load;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import weft.api.NetworkPolicy;
import weft.api.Resource;
import weft.api.k8s.IpBlock;
import weft.api.k8s.NetworkPolicyPeer;
import weft.api.k8s.NetworkPolicyPort;
import weft.api.k8s.NetworkPolicyRule;
import weft.api.k8s.PolicyType;
import weft.api.meta.Cidr;
import weft.api.meta.LabelSelector;
import weft.api.meta.ObjectMeta;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/** Decodes {@code networking.k8s.io/v1} NetworkPolicy with Kubernetes' validation and defaulting. */
final class NetworkPolicyDecoder {
  private NetworkPolicyDecoder() {}

  static Optional<Resource> decode(ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    Optional<LabelSelector> podSelector;
    if (spec.has("podSelector")) {
      podSelector = spec.object("podSelector").flatMap(o -> SelectorDecoder.decode(o, SelectorDecoder.Keys.KUBERNETES));
    } else {
      spec.raw("podSelector");
      problems.add(spec.at("podSelector"), "required (use {} to select every pod in the namespace)");
      podSelector = Optional.empty();
    }
    List<NetworkPolicyRule> ingress = spec.objects("ingress", r -> rule(r, "from"));
    List<NetworkPolicyRule> egress = spec.objects("egress", r -> rule(r, "to"));
    Set<PolicyType> policyTypes = policyTypes(spec, !egress.isEmpty() || hasEntries(spec, "egress"));
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new NetworkPolicy(meta, podSelector.get(), policyTypes, ingress, egress));
  }

  private static boolean hasEntries(Obj spec, String field) {
    return spec.raw(field).map(v -> v.isArray() && !v.isEmpty()).orElse(false);
  }

  /**
   * Kubernetes NetworkPolicySpec.policyTypes: when omitted, Ingress always, and Egress if the
   * policy has egress rules.
   */
  private static Set<PolicyType> policyTypes(Obj spec, boolean hasEgress) {
    List<String> written = spec.strings("policyTypes");
    if (written.isEmpty()) {
      return hasEgress ? EnumSet.allOf(PolicyType.class) : EnumSet.of(PolicyType.INGRESS);
    }
    EnumSet<PolicyType> types = EnumSet.noneOf(PolicyType.class);
    for (int i = 0; i < written.size(); i++) {
      String s = written.get(i);
      Optional<PolicyType> t = List.of(PolicyType.values()).stream().filter(p -> p.wireName().equals(s)).findFirst();
      if (t.isEmpty()) {
        spec.problems().add(spec.at("policyTypes").index(i), "unknown policy type " + Values.quote(s) + " (expected: Ingress or Egress)");
      } else if (!types.add(t.get())) {
        spec.problems().add(spec.at("policyTypes").index(i), "duplicate policy type " + Values.quote(s));
      }
    }
    return types;
  }

  private static Optional<NetworkPolicyRule> rule(Obj r, String peersField) {
    int before = r.problems().size();
    List<NetworkPolicyPeer> peers = r.objects(peersField, NetworkPolicyDecoder::peer);
    List<NetworkPolicyPort> ports = r.objects("ports", NetworkPolicyDecoder::port);
    r.finish();
    return r.problems().size() > before ? Optional.empty() : Optional.of(new NetworkPolicyRule(peers, ports));
  }

  private static Optional<NetworkPolicyPeer> peer(Obj p) {
    Problems problems = p.problems();
    int before = problems.size();
    Optional<LabelSelector> pods = p.object("podSelector").flatMap(o -> SelectorDecoder.decode(o, SelectorDecoder.Keys.KUBERNETES));
    Optional<LabelSelector> namespaces = p.object("namespaceSelector").flatMap(o -> SelectorDecoder.decode(o, SelectorDecoder.Keys.KUBERNETES));
    Optional<IpBlock> ipBlock = p.object("ipBlock").flatMap(NetworkPolicyDecoder::ipBlock);
    boolean selectors = p.has("podSelector") || p.has("namespaceSelector");
    if (selectors && p.has("ipBlock")) {
      problems.add(p.path(), "ipBlock cannot be combined with podSelector or namespaceSelector in one peer (write them as two entries)");
    } else if (!selectors && !p.has("ipBlock")) {
      problems.add(p.path(), "a peer needs podSelector, namespaceSelector or ipBlock");
    }
    p.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    if (ipBlock.isPresent()) {
      return Optional.of(new NetworkPolicyPeer.Addresses(ipBlock.get()));
    }
    return Optional.of(new NetworkPolicyPeer.Pods(pods.orElse(LabelSelector.EVERYTHING), namespaces));
  }

  private static Optional<IpBlock> ipBlock(Obj b) {
    Problems problems = b.problems();
    int before = problems.size();
    Optional<Cidr> cidr = b.requiredString("cidr").flatMap(s -> cidr(s, b.at("cidr"), problems));
    List<Cidr> except = new ArrayList<>();
    List<String> written = b.strings("except");
    for (int i = 0; i < written.size(); i++) {
      FieldPath at = b.at("except").index(i);
      Optional<Cidr> e = cidr(written.get(i), at, problems);
      if (e.isPresent() && cidr.isPresent()) {
        Cidr outer = cidr.get();
        if (!outer.contains(e.get()) || outer.prefixLength() >= e.get().prefixLength()) {
          problems.add(at, Values.quote(written.get(i)) + " is not a strict subset of cidr " + outer);
        }
      }
      e.ifPresent(except::add);
    }
    b.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new IpBlock(cidr.get(), except));
  }

  static Optional<Cidr> cidr(String s, FieldPath at, Problems problems) {
    try {
      return Optional.of(Cidr.parse(s));
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<NetworkPolicyPort> port(Obj p) {
    Problems problems = p.problems();
    int before = problems.size();
    Optional<Protocol> protocol = PortDecoder.protocol(p, "protocol", false);
    Optional<PortRef> port = p.raw("port").flatMap(v -> PortDecoder.kubernetesPort(v, 1, p.at("port"), problems));
    Optional<Integer> endPort = p.integer("endPort", 1, 65535);
    if (endPort.isPresent() && port.isPresent()) {
      if (!(port.get() instanceof PortRef.Number n)) {
        problems.add(p.at("endPort"), "cannot be used with the named port " + Values.quote(port.get().toString()));
      } else if (n.port() > endPort.get()) {
        problems.add(p.at("endPort"), "expected endPort >= port " + n.port() + ", got " + endPort.get());
      }
    } else if (endPort.isPresent() && !p.has("port")) {
      problems.add(p.at("endPort"), "needs a numeric port");
    }
    p.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new NetworkPolicyPort(protocol.get(), port, endPort));
  }
}
