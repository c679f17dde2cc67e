package weft.api.load;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import weft.api.CiliumNetworkPolicy;
import weft.api.Kind;
import weft.api.Resource;
import weft.api.cilium.CidrRule;
import weft.api.cilium.CiliumRule;
import weft.api.cilium.DefaultDeny;
import weft.api.cilium.EndpointSelector;
import weft.api.cilium.Entity;
import weft.api.cilium.PeerRule;
import weft.api.cilium.PortRule;
import weft.api.cilium.RuleSubject;
import weft.api.meta.Cidr;
import weft.api.meta.LabelRequirement;
import weft.api.meta.LabelSelector;
import weft.api.meta.ObjectMeta;

/**
 * Decodes CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy ({@code spec} and {@code specs}),
 * applying Cilium's namespace scoping of selectors (ParseToCiliumRule) and its rule sanitizing
 * checks.
 */
final class CiliumDecoder {
  private CiliumDecoder() {}

  private enum Direction {
    INGRESS("from"),
    EGRESS("to");

    final String prefix;

    Direction(String prefix) {
      this.prefix = prefix;
    }
  }

  static Optional<Resource> decode(Kind kind, ObjectMeta meta, Obj doc) {
    Problems problems = doc.problems();
    int before = problems.size();
    Optional<CiliumRule> spec = doc.object("spec").flatMap(s -> rule(kind, meta, s));
    List<CiliumRule> specs = doc.objects("specs", s -> rule(kind, meta, s));
    if (!doc.has("spec") && !doc.has("specs")) {
      problems.add(doc.path(), "needs spec or specs");
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new CiliumNetworkPolicy(kind, meta, spec, specs));
  }

  private static Optional<CiliumRule> rule(Kind kind, ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    String namespace = meta.namespace();
    Optional<EndpointSelector> endpoints = spec.object("endpointSelector").flatMap(CiliumDecoder::selector);
    Optional<EndpointSelector> nodes = spec.object("nodeSelector").flatMap(CiliumDecoder::selector);
    if (spec.has("endpointSelector") == spec.has("nodeSelector")) {
      problems.add(spec.path(), "needs exactly one of endpointSelector and nodeSelector");
    } else if (spec.has("nodeSelector") && kind == Kind.CILIUM_NETWORK_POLICY) {
      problems.add(spec.at("nodeSelector"), "is only allowed in CiliumClusterwideNetworkPolicy");
    }
    boolean matchesInit = endpoints.map(e -> e.hasKey("reserved:init")).orElse(false);
    Optional<RuleSubject> subject = Optional.empty();
    if (endpoints.isPresent()) {
      EndpointSelector es = endpoints.get();
      if (!namespace.isEmpty() && !matchesInit) {
        String written = es.selector().matchLabels().get(EndpointSelector.NAMESPACE_LABEL);
        if (written != null && !written.equals(namespace)) {
          problems.add(
              spec.at("endpointSelector"),
              "selects namespace " + Values.quote(written) + " but a CiliumNetworkPolicy applies only in its own namespace "
                  + Values.quote(namespace));
        }
        es = withMatch(es, EndpointSelector.NAMESPACE_LABEL, namespace);
      }
      subject = Optional.of(new RuleSubject.Endpoints(es));
    } else if (nodes.isPresent()) {
      subject = Optional.of(new RuleSubject.Nodes(nodes.get()));
    }
    Scope scope = new Scope(namespace, matchesInit);
    List<PeerRule> ingress = spec.objects("ingress", r -> peerRule(r, Direction.INGRESS, false, scope));
    List<PeerRule> ingressDeny = spec.objects("ingressDeny", r -> peerRule(r, Direction.INGRESS, true, scope));
    List<PeerRule> egress = spec.objects("egress", r -> peerRule(r, Direction.EGRESS, false, scope));
    List<PeerRule> egressDeny = spec.objects("egressDeny", r -> peerRule(r, Direction.EGRESS, true, scope));
    DefaultDeny defaultDeny =
        spec.object("enableDefaultDeny")
            .map(
                d -> {
                  DefaultDeny dd = new DefaultDeny(d.bool("ingress"), d.bool("egress"));
                  d.finish();
                  return dd;
                })
            .orElse(DefaultDeny.UNSET);
    Optional<String> description = spec.string("description");
    spec.ignore("labels"); // rule labels only name the rule inside Cilium's repository
    spec.unsupported("log");
    spec.finish();
    if (problems.size() > before || subject.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new CiliumRule(subject.get(), ingress, ingressDeny, egress, egressDeny, defaultDeny, description));
  }

  /** The namespace a namespaced policy lives in ("" for clusterwide) and whether it selects init. */
  private record Scope(String namespace, boolean matchesInit) {}

  private static Optional<PeerRule> peerRule(Obj r, Direction d, boolean deny, Scope scope) {
    Problems problems = r.problems();
    int before = problems.size();
    String p = d.prefix;
    List<EndpointSelector> endpoints =
        r.objects(p + "Endpoints", o -> selector(o).map(es -> scoped(es, true, scope)));
    List<EndpointSelector> requires =
        r.objects(p + "Requires", o -> selector(o).map(es -> scoped(es, false, scope)));
    List<CidrRule> cidrs = new ArrayList<>();
    cidrs.addAll(
        r.list(
            p + "CIDR",
            (v, at) ->
                Values.string(v, at, problems).flatMap(s -> cidrOrAddress(s, at, problems)).map(c -> new CidrRule(c, List.of()))));
    cidrs.addAll(r.objects(p + "CIDRSet", CiliumDecoder::cidrRule));
    Set<Entity> entities =
        Set.copyOf(r.list(p + "Entities", (v, at) -> Values.string(v, at, problems).flatMap(s -> entity(s, at, problems))));
    List<PortRule> toPorts = r.objects("toPorts", o -> CiliumPortDecoder.portRule(o, deny));
    // Cilium's sanitize(): at most one kind of L3 peer per rule.
    Map<String, Boolean> l3 = new LinkedHashMap<>();
    for (String f : List.of("Endpoints", "CIDR", "CIDRSet", "Entities")) {
      l3.put(p + f, r.has(p + f));
    }
    List<String> present = l3.entrySet().stream().filter(Map.Entry::getValue).map(Map.Entry::getKey).toList();
    if (present.size() > 1) {
      problems.add(
          r.path(),
          "combining " + present.get(0) + " and " + present.get(1) + " in one rule is not supported by Cilium (write two rules)");
    }
    r.unsupported("icmps", p + "Nodes", p + "Groups", "authentication");
    if (d == Direction.EGRESS) {
      r.unsupported("toServices", "toFQDNs");
    }
    r.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new PeerRule(endpoints, requires, cidrs, entities, toPorts));
  }

  /** Cilium's getEndpointSelector: scope a peer selector to the policy's namespace. */
  private static EndpointSelector scoped(EndpointSelector es, boolean endpointsField, Scope scope) {
    if (endpointsField && es.hasKeyPrefix("reserved:")) {
      return es;
    }
    if (scope.matchesInit()
        || es.hasKey(EndpointSelector.NAMESPACE_LABEL)
        || es.hasKey(EndpointSelector.ANY_NAMESPACE_LABEL)) {
      return es;
    }
    if (scope.namespace().isEmpty()) {
      // Clusterwide: without a namespace, select only endpoints that have one (pods), never
      // everything.
      List<LabelRequirement> expressions = new ArrayList<>(es.selector().matchExpressions());
      expressions.add(new LabelRequirement(EndpointSelector.NAMESPACE_LABEL, LabelRequirement.Operator.EXISTS, List.of()));
      return new EndpointSelector(new LabelSelector(es.selector().matchLabels(), expressions));
    }
    return withMatch(es, EndpointSelector.NAMESPACE_LABEL, scope.namespace());
  }

  private static EndpointSelector withMatch(EndpointSelector es, String key, String value) {
    Map<String, String> labels = new LinkedHashMap<>(es.selector().matchLabels());
    labels.put(key, value);
    return new EndpointSelector(new LabelSelector(labels, es.selector().matchExpressions()));
  }

  private static Optional<EndpointSelector> selector(Obj o) {
    return SelectorDecoder.decode(o, SelectorDecoder.Keys.CILIUM).map(EndpointSelector::new);
  }

  private static Optional<CidrRule> cidrRule(Obj o) {
    Problems problems = o.problems();
    int before = problems.size();
    // Cilium CIDRRule: only address/prefix (fromCIDR also takes a bare address).
    Optional<Cidr> cidr = o.requiredString("cidr").flatMap(s -> NetworkPolicyDecoder.cidr(s, o.at("cidr"), problems));
    List<String> written = o.strings("except");
    List<Cidr> except = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      FieldPath at = o.at("except").index(i);
      Optional<Cidr> e = cidrOrAddress(written.get(i), at, problems);
      if (e.isPresent() && cidr.isPresent() && !cidr.get().contains(e.get())) {
        problems.add(at, Values.quote(written.get(i)) + " is not inside cidr " + cidr.get());
      }
      e.ifPresent(except::add);
    }
    o.unsupported("cidrGroupRef", "cidrGroupSelector");
    o.finish();
    return problems.size() > before ? Optional.empty() : Optional.of(new CidrRule(cidr.get(), except));
  }

  private static Optional<Cidr> cidrOrAddress(String s, FieldPath at, Problems problems) {
    try {
      return Optional.of(Cidr.parseAddressOrCidr(s));
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Entity> entity(String s, FieldPath at, Problems problems) {
    Optional<Entity> e = Entity.of(s);
    if (e.isEmpty()) {
      problems.add(
          at,
          switch (s) {
            case "world-ipv4", "world-ipv6", "ingress" -> "entity " + Values.quote(s) + " is not supported by weft";
            default ->
                "unknown entity " + Values.quote(s)
                    + " (expected: world, cluster, host, remote-node, init, health, unmanaged, kube-apiserver or all)";
          });
    }
    return e;
  }
}
