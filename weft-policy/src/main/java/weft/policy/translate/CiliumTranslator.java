package weft.policy.translate;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import weft.api.CiliumNetworkPolicy;
import weft.api.cilium.CidrRule;
import weft.api.cilium.CiliumRule;
import weft.api.cilium.EndpointSelector;
import weft.api.cilium.HeaderMatch;
import weft.api.cilium.HttpHeader;
import weft.api.cilium.HttpRule;
import weft.api.cilium.KafkaApiKey;
import weft.api.cilium.KafkaRule;
import weft.api.cilium.PeerRule;
import weft.api.cilium.PortProtocol;
import weft.api.cilium.RuleSubject;
import weft.api.meta.PortRef;
import weft.policy.model.Action;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.Entity;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.PortMatch;
import weft.policy.model.PortRule;
import weft.policy.model.PortSpec;
import weft.policy.model.Protocol;
import weft.policy.model.Regex;
import weft.policy.model.Rule;

/**
 * CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy -> IR, one {@link LabelPolicy} per rule of
 * {@code spec}/{@code specs} (docs.cilium.io "Policy Language", "Deny Policies").
 */
final class CiliumTranslator {
  private CiliumTranslator() {}

  static List<LabelPolicy> translate(CiliumNetworkPolicy cnp, Problems problems) {
    String kind = cnp.kind().kindName();
    String ns = cnp.metadata().namespace();
    List<LabelPolicy> out = new ArrayList<>();
    for (int i = 0; i < cnp.rules().size(); i++) {
      CiliumRule r = cnp.rules().get(i);
      String base = cnp.rulePath(i);
      PolicyRef ref = new PolicyRef(Dialect.CILIUM, kind, ns, cnp.metadata().name());
      String resource = ref.toString();
      if (r.subject() instanceof RuleSubject.Nodes) {
        problems.add(resource, base + ".nodeSelector", "host policies (nodeSelector) are not supported; use endpointSelector");
        continue;
      }
      Set<Direction> deny = EnumSet.noneOf(Direction.class);
      // "If not specified, the default is true for each traffic direction that has rules"
      if ((!r.ingress().isEmpty() || !r.ingressDeny().isEmpty()) && r.enableDefaultDeny().ingress().orElse(true)) {
        deny.add(Direction.INGRESS);
      }
      if ((!r.egress().isEmpty() || !r.egressDeny().isEmpty()) && r.enableDefaultDeny().egress().orElse(true)) {
        deny.add(Direction.EGRESS);
      }
      List<Rule> ingress = new ArrayList<>();
      List<Rule> egress = new ArrayList<>();
      List<LabelSelector> inReq = new ArrayList<>();
      List<LabelSelector> outReq = new ArrayList<>();
      rules(r.ingress(), base + ".ingress", Action.ALLOW, true, ingress, inReq, resource, problems);
      rules(r.ingressDeny(), base + ".ingressDeny", Action.DENY, true, ingress, inReq, resource, problems);
      rules(r.egress(), base + ".egress", Action.ALLOW, false, egress, outReq, resource, problems);
      rules(r.egressDeny(), base + ".egressDeny", Action.DENY, false, egress, outReq, resource, problems);
      LabelSelector subject = Selectors.of(r.subject().selector().selector());
      out.add(new LabelPolicy(ref, subject, deny, ingress, egress, inReq, outReq));
    }
    return out;
  }

  private static void rules(List<PeerRule> rules, String base, Action action, boolean ingress,
      List<Rule> out, List<LabelSelector> requires, String resource, Problems problems) {
    String dir = ingress ? "from" : "to";
    for (int i = 0; i < rules.size(); i++) {
      PeerRule pr = rules.get(i);
      String path = base + "[" + i + "]";
      List<Peer> peers = new ArrayList<>();
      for (EndpointSelector e : pr.endpoints()) peers.add(new Peer.Endpoints(Selectors.of(e.selector())));
      for (CidrRule c : pr.cidrs()) {
        peers.add(new Peer.Block(Addresses.cidr(c.cidr()), c.except().stream().map(Addresses::cidr).toList(), false));
      }
      for (weft.api.cilium.Entity e : pr.entities()) {
        peers.add(new Peer.OfEntity(Entity.parse(e.wireName()).orElseThrow()));
      }
      // toPorts without an L3 selector applies to every peer ("Layer 4 Examples"); a rule with
      // neither ("- {}") selects no peer and only puts the endpoint into default deny
      if (pr.l3Wildcard() && !pr.toPorts().isEmpty()) peers.add(new Peer.Any());
      for (EndpointSelector e : pr.requires()) requires.add(Selectors.of(e.selector()));
      List<PortRule> ports = new ArrayList<>();
      for (int j = 0; j < pr.toPorts().size(); j++) {
        weft.api.cilium.PortRule p = pr.toPorts().get(j);
        String pp = path + ".toPorts[" + j + "]";
        L7Rules l7 = p.rules().isPresent() ? l7(p.rules().get(), pp + ".rules", resource, problems) : L7Rules.NONE;
        ports.add(new PortRule(pp, p.ports().stream().map(CiliumTranslator::port).toList(), l7));
      }
      if (!pr.requires().isEmpty() && pr.l3Wildcard() && pr.toPorts().isEmpty()) {
        problems.add(resource, path + "." + dir + "Requires", "a requirement alone grants nothing; add " + dir + "Endpoints");
      }
      out.add(new Rule(path, action, peers, ports));
    }
  }

  private static PortMatch port(PortProtocol p) {
    Protocol proto = Protocol.valueOf(p.protocol().name());
    return switch (p.port()) {
      case PortRef.Number n when n.port() == 0 -> PortMatch.all(proto);
      case PortRef.Number n -> new PortMatch(proto, new PortSpec.Range(n.port(), p.endPort().orElse(n.port())));
      case PortRef.Name name -> new PortMatch(proto, new PortSpec.Named(name.name()));
    };
  }

  private static L7Rules l7(weft.api.cilium.L7Rules rules, String base, String resource, Problems problems) {
    return switch (rules) {
      case weft.api.cilium.L7Rules.Http h -> {
        List<L7Rules.HttpRule> out = new ArrayList<>();
        for (int i = 0; i < h.rules().size(); i++) {
          HttpRule r = h.rules().get(i);
          String path = base + ".http[" + i + "]";
          List<L7Rules.HeaderMatch> headers = new ArrayList<>();
          for (HttpHeader x : r.headers()) headers.add(new L7Rules.HeaderMatch(x.name(), x.value()));
          for (int j = 0; j < r.headerMatches().size(); j++) {
            HeaderMatch m = r.headerMatches().get(j);
            if (m.mismatch().isPresent()) {
              problems.add(resource, path + ".headerMatches[" + j + "].mismatch",
                  m.mismatch().get() + " is not supported (expected: no mismatch action, i.e. deny)");
            }
            headers.add(new L7Rules.HeaderMatch(m.name(), m.value()));
          }
          out.add(new L7Rules.HttpRule(path,
              r.method().map(x -> Regex.compile(x.source())),
              r.path().map(x -> Regex.compile(x.source())),
              r.host().map(x -> Regex.compile(x.source())),
              headers));
        }
        yield new L7Rules.Http(out);
      }
      case weft.api.cilium.L7Rules.Kafka k -> {
        List<L7Rules.KafkaRule> out = new ArrayList<>();
        for (int i = 0; i < k.rules().size(); i++) {
          KafkaRule r = k.rules().get(i);
          out.add(new L7Rules.KafkaRule(base + ".kafka[" + i + "]",
              r.apiKeys().stream().map(KafkaApiKey::id).collect(Collectors.toSet()),
              r.apiVersion().map(OptionalInt::of).orElse(OptionalInt.empty()),
              r.clientId(), r.topic()));
        }
        yield new L7Rules.Kafka(out);
      }
    };
  }

}
