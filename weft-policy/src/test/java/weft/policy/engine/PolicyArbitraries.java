package weft.policy.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Cidr;
import weft.policy.model.Clause;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.Entity;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.IstioString;
import weft.policy.model.KafkaApiKeys;
import weft.policy.model.KafkaRequest;
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

/** Random policies and flows over {@link Mesh#demo()}. */
final class PolicyArbitraries {
  private PolicyArbitraries() {}

  static final List<String> APPS = List.of("tweet", "jobs-api", "recruiter", "kafka");

  static Arbitrary<Peer> peers() {
    return Arbitraries.oneOf(
        Arbitraries.just(new Peer.Any()),
        Arbitraries.of(APPS).map(a -> new Peer.Endpoints(LabelSelector.matchLabels(Map.of("app", a, Identity.NAMESPACE, "default")))),
        Arbitraries.just(new Peer.Endpoints(LabelSelector.matchLabels(Map.of(Identity.NAMESPACE, "other")))),
        Arbitraries.of(Entity.WORLD, Entity.CLUSTER, Entity.HOST, Entity.REMOTE_NODE).map(Peer.OfEntity::new),
        Arbitraries.of(true, false).map(k8s -> new Peer.Block(Cidr.of("10.0.0.0/24"), List.of(Cidr.of("10.0.0.3/32")), k8s)),
        Arbitraries.just(new Peer.Block(Cidr.of("203.0.113.0/24"), List.of(), false)));
  }

  static final L7Rules GET_JOBS = new L7Rules.Http(List.of(new L7Rules.HttpRule("rules.http[0]",
      Optional.of(Regex.compile("GET")), Optional.of(Regex.compile("/jobs/[0-9]+")), Optional.empty(), List.of())));
  static final L7Rules PRODUCE = new L7Rules.Kafka(List.of(new L7Rules.KafkaRule("rules.kafka[0]",
      KafkaApiKeys.PRODUCE_ROLE, OptionalInt.empty(), Optional.empty(), Optional.of("jobs"))));

  /** {@code l4Only}: deny rules (Cilium's are L3/L4) and every Kubernetes rule (NetworkPolicy is L3/L4 only). */
  static Arbitrary<PortRule> portRules(boolean l4Only) {
    List<PortRule> l4 = List.of(
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(80, 80))), L7Rules.NONE),
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.ANY, new PortSpec.Range(53, 53))), L7Rules.NONE),
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(8000, 8010))), L7Rules.NONE),
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Named("http"))), L7Rules.NONE));
    if (l4Only) return Arbitraries.of(l4);
    return Arbitraries.oneOf(Arbitraries.of(l4), Arbitraries.of(
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(80, 80))), GET_JOBS),
        new PortRule("toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(9092, 9092))), PRODUCE)));
  }

  static Arbitrary<Rule> rules(Action action) {
    return rules(action, Dialect.CILIUM);
  }

  static Arbitrary<Rule> rules(Action action, Dialect d) {
    return Combinators.combine(
            peers().list().ofMinSize(1).ofMaxSize(2),
            portRules(action == Action.DENY || d == Dialect.KUBERNETES).list().ofMaxSize(1),
            Arbitraries.integers().between(0, 999))
        .as((peers, ports, n) -> new Rule("spec.rule[" + n + "]", action, peers, ports));
  }

  /**
   * Kubernetes policies get only what a NetworkPolicy can say (L3/L4 allows; {@link LabelPolicy}
   * refuses the rest), Cilium policies L7 and deny rules too.
   */
  static Arbitrary<LabelPolicy> labelPolicies() {
    return Arbitraries.of(Dialect.KUBERNETES, Dialect.CILIUM).flatMap(d -> Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').ofLength(6),
            Arbitraries.of(APPS),
            Arbitraries.subsetOf(Direction.values()),
            rules(Action.ALLOW, d).list().ofMaxSize(2),
            d == Dialect.CILIUM ? rules(Action.DENY, d).list().ofMaxSize(1) : Arbitraries.just(List.<Rule>of()),
            rules(Action.ALLOW, d).list().ofMaxSize(2))
        .as((name, app, isolates, in, inDeny, out) -> new LabelPolicy(
            new PolicyRef(d, d == Dialect.KUBERNETES ? "NetworkPolicy" : "CiliumNetworkPolicy", "default", name),
            LabelSelector.matchLabels(Map.of("app", app, Identity.NAMESPACE, "default")),
            isolates, concat(in, inDeny), out, List.of(), List.of())));
  }

  /** {@code r} as a policy of dialect {@code d} can hold it: a Kubernetes rule loses its L7 rules. */
  static Rule fitFor(Dialect d, Rule r) {
    if (d != Dialect.KUBERNETES) return r;
    return new Rule(r.path(), r.action(), r.peers(),
        r.ports().stream().map(p -> new PortRule(p.path(), p.ports(), L7Rules.NONE)).toList());
  }

  static Arbitrary<AuthzPolicy.AuthzRule> authzRules() {
    Clause tweet = new Clause("from.principals", Clause.Attribute.PRINCIPAL, "",
        new Clause.Values.Strings(List.of(IstioString.parse("cluster.local/ns/default/*", false))), false);
    Clause jobsPath = new Clause("to.paths", Clause.Attribute.PATH, "",
        new Clause.Values.Strings(List.of(IstioString.parse("/jobs/*", false))), false);
    Clause port80 = new Clause("to.ports", Clause.Attribute.PORT, "", new Clause.Values.Ports(Set.of(80)), false);
    Clause notWorld = new Clause("from.notIpBlocks", Clause.Attribute.SOURCE_IP, "",
        new Clause.Values.Cidrs(List.of(Cidr.of("203.0.113.0/24"))), true);
    Clause ns = new Clause("from.namespaces", Clause.Attribute.NAMESPACE, "",
        new Clause.Values.Strings(List.of(IstioString.parse("def*", false))), false);
    Clause notNs = new Clause("from.notNamespaces", Clause.Attribute.NAMESPACE, "",
        new Clause.Values.Strings(List.of(IstioString.parse("other", false))), true);
    Clause remote = new Clause("from.remoteIpBlocks", Clause.Attribute.REMOTE_IP, "",
        new Clause.Values.Cidrs(List.of(Cidr.of("203.0.113.0/24"))), false);
    Clause get = new Clause("to.methods", Clause.Attribute.METHOD, "",
        new Clause.Values.Strings(List.of(IstioString.parse("GET", false))), false);
    Clause notX = new Clause("to.notPaths", Clause.Attribute.PATH, "",
        new Clause.Values.Strings(List.of(IstioString.parse("/x", false))), true);
    Clause host = new Clause("to.hosts", Clause.Attribute.HOST, "",
        new Clause.Values.Strings(List.of(IstioString.parse("JOBS-*", false))), false);
    Clause dst = new Clause("to.notPorts", Clause.Attribute.PORT, "", new Clause.Values.Ports(Set.of(53)), true);
    return Combinators.combine(
            Arbitraries.subsetOf(tweet, notWorld, ns, notNs, remote), Arbitraries.subsetOf(jobsPath, port80, get, notX, host, dst), Arbitraries.integers().between(0, 99))
        .as((from, to, n) -> new AuthzPolicy.AuthzRule("spec.rules[" + n + "]",
            from.isEmpty() ? List.of() : List.of(List.copyOf(from)),
            to.isEmpty() ? List.of() : List.of(List.copyOf(to)), List.of()));
  }

  static Arbitrary<AuthzPolicy> authzPolicies() {
    return Combinators.combine(
            Arbitraries.strings().withCharRange('a', 'z').ofLength(6),
            Arbitraries.of(AuthzPolicy.AuthzAction.ALLOW, AuthzPolicy.AuthzAction.DENY),
            Arbitraries.of(APPS),
            authzRules().list().ofMaxSize(2))
        .as((name, action, app, rules) -> new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", "default", name),
            action, Optional.of(LabelSelector.matchLabels(Map.of("app", app))), rules));
  }

  static Arbitrary<Flow> flows() {
    Arbitrary<Endpoint> sources = Arbitraries.of("default/tweet", "default/jobs-api", "default/recruiter", "other/spy",
        "node/node-1", "node/node-2", "203.0.113.7", "10.0.0.99").map(Endpoint::parse);
    Arbitrary<Endpoint> destinations = Arbitraries.of("default/tweet", "default/jobs-api", "default/recruiter",
        "default/kafka", "8.8.8.8").map(Endpoint::parse);
    Arbitrary<Optional<HttpRequest>> http = Arbitraries.of(
        Optional.empty(),
        Optional.of(new HttpRequest("GET", "/jobs/1", "jobs-api", Map.of())),
        Optional.of(new HttpRequest("POST", "/x", "jobs-api", Map.of())));
    return Combinators.combine(sources, destinations, Arbitraries.of(80, 53, 8005, 9092, 443),
            Arbitraries.of(Protocol.TCP, Protocol.UDP), http, Arbitraries.of(Optional.<Boolean>empty(), Optional.of(false)))
        .as((s, d, port, proto, h, mtls) -> {
          Optional<HttpRequest> req = proto == Protocol.TCP ? h : Optional.empty();
          Optional<KafkaRequest> kafka = proto == Protocol.TCP && port == 9092 && req.isEmpty()
              ? Optional.of(new KafkaRequest(0, OptionalInt.empty(), Optional.empty(), Optional.of("jobs")))
              : Optional.empty();
          return new Flow(s, d, proto, port, mtls, Optional.empty(), Optional.<IpAddress>empty(), req, kafka);
        });
  }

  static <T> List<T> concat(List<T> a, List<T> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
  }
}
