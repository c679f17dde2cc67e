package weft.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Cidr;
import weft.policy.model.Clause;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.Entity;
import weft.policy.model.HttpRequest;
import weft.policy.model.IstioString;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.PortMatch;
import weft.policy.model.PortRule;
import weft.policy.model.PortSpec;
import weft.policy.model.Protocol;
import weft.policy.model.Regex;
import weft.policy.model.Rule;

class PolicyEngineTest {

  static LabelSelector app(String ns, String app) {
    return LabelSelector.matchLabels(Map.of("app", app, Identity.NAMESPACE, ns));
  }

  static PortRule tcp(String path, int port, L7Rules l7) {
    return new PortRule(path, List.of(new PortMatch(Protocol.TCP, new PortSpec.Range(port, port))), l7);
  }

  static LabelPolicy cnp(String name, LabelSelector subject, List<Rule> ingress) {
    return new LabelPolicy(new PolicyRef(Dialect.CILIUM, "CiliumNetworkPolicy", "default", name), subject,
        Set.of(Direction.INGRESS), ingress, List.of(), List.of(), List.of());
  }

  static L7Rules.Http getJobs() {
    return new L7Rules.Http(List.of(new L7Rules.HttpRule("spec.ingress[0].toPorts[0].rules.http[0]",
        Optional.of(Regex.compile("GET")), Optional.of(Regex.compile("/jobs/[0-9]+")), Optional.empty(), List.of())));
  }

  static HttpRequest get(String path) {
    return new HttpRequest("GET", path, "jobs-api", Map.of());
  }

  @Test
  void noPolicyMeansDefaultAllowInEveryDialect() {
    Verdict v = Mesh.demo().engine().evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80));
    assertThat(v.allowed()).isTrue();
    assertThat(v.dialect(Dialect.ISTIO).reason()).isEqualTo("no policy selects default/jobs-api: default allow");
  }

  @Test
  void ciliumL7RuleAllowsOnlyMatchingRequestsAnd403sTheRest() {
    PolicyEngine e = Mesh.demo().add(cnp("l7", app("default", "jobs-api"), List.of(
        new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Endpoints(app("default", "tweet"))),
            List.of(tcp("spec.ingress[0].toPorts[0]", 80, getJobs())))))).engine();
    Flow f = Flow.tcp("default/tweet", "default/jobs-api", 80);
    Verdict ok = e.evaluate(f.withHttp(get("/jobs/331")));
    assertThat(ok.allowed()).isTrue();
    assertThat(ok.dialect(Dialect.CILIUM).rule())
        .isEqualTo("CiliumNetworkPolicy default/l7 spec.ingress[0].toPorts[0].rules.http[0]");
    // anchored: a longer path, or the query, does not match (Cilium matches :path whole)
    for (String p : List.of("/jobs/331/delete", "/jobs/1?x=1", "/jobs/")) {
      Verdict no = e.evaluate(f.withHttp(get(p)));
      assertThat(no.allowed()).as(p).isFalse();
      assertThat(no.denyMode()).contains(DenyMode.HTTP_403);
    }
    Verdict recruiter = e.evaluate(Flow.tcp("default/recruiter", "default/jobs-api", 80).withHttp(get("/jobs/1")));
    assertThat(recruiter.allowed()).isFalse();
    assertThat(recruiter.denyMode()).contains(DenyMode.DROP);
    assertThat(e.evaluate(Flow.tcp("203.0.113.7", "default/jobs-api", 80)).allowed()).isFalse();
  }

  @Test
  void ciliumDenyWinsOverAnAllowOfAnotherPolicy() {
    Rule allowAll = new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.OfEntity(Entity.ALL)), List.of());
    Rule denyTweet = new Rule("spec.ingressDeny[0]", Action.DENY, List.of(new Peer.Endpoints(app("default", "tweet"))), List.of());
    PolicyEngine e = Mesh.demo()
        .add(cnp("allow", app("default", "jobs-api"), List.of(allowAll)))
        .add(cnp("deny", app("default", "jobs-api"), List.of(denyTweet))).engine();
    Verdict v = e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80));
    assertThat(v.allowed()).isFalse();
    assertThat(v.dialect(Dialect.CILIUM).rule()).isEqualTo("CiliumNetworkPolicy default/deny spec.ingressDeny[0]");
    assertThat(e.evaluate(Flow.tcp("default/recruiter", "default/jobs-api", 80)).allowed()).isTrue();
  }

  @Test
  void ciliumCidrSelectsOnlyOutsideAddressesButKubernetesIpBlockSelectsPodsToo() {
    Peer.Block cilium = new Peer.Block(Cidr.of("10.0.0.0/8"), List.of(Cidr.of("10.0.0.3/32")), false);
    PolicyEngine e = Mesh.demo().add(cnp("cidr", app("default", "jobs-api"), List.of(
        new Rule("spec.ingress[0]", Action.ALLOW, List.of(cilium), List.of())))).engine();
    assertThat(e.evaluate(Flow.tcp("10.9.9.9", "default/jobs-api", 80)).allowed()).isTrue();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isFalse();
    Peer.Block k8s = new Peer.Block(Cidr.of("10.0.0.0/8"), List.of(Cidr.of("10.0.0.3/32")), true);
    LabelPolicy np = new LabelPolicy(new PolicyRef(Dialect.KUBERNETES, "NetworkPolicy", "default", "np"),
        app("default", "jobs-api"), Set.of(Direction.INGRESS),
        List.of(new Rule("spec.ingress[0]", Action.ALLOW, List.of(k8s), List.of())), List.of(), List.of(), List.of());
    PolicyEngine k = Mesh.demo().add(np).engine();
    assertThat(k.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isTrue();
    // ipBlock except
    assertThat(k.evaluate(Flow.tcp("default/recruiter", "default/jobs-api", 80)).allowed()).isFalse();
  }

  @Test
  void egressOfTheSourceIsCheckedToo() {
    LabelPolicy egress = new LabelPolicy(new PolicyRef(Dialect.CILIUM, "CiliumNetworkPolicy", "default", "egress"),
        app("default", "tweet"), Set.of(Direction.EGRESS), List.of(),
        List.of(new Rule("spec.egress[0]", Action.ALLOW, List.of(new Peer.OfEntity(Entity.CLUSTER)), List.of())),
        List.of(), List.of());
    PolicyEngine e = Mesh.demo().add(egress).engine();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "8.8.8.8", 443)).allowed()).isFalse();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isTrue();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "node/node-2", 10250)).allowed()).isTrue();
  }

  @Test
  void namedPortResolvesAgainstTheDestinationWorkload() {
    PortRule named = new PortRule("spec.ingress[0].toPorts[0]", List.of(new PortMatch(Protocol.TCP, new PortSpec.Named("http"))), L7Rules.NONE);
    PolicyEngine e = Mesh.demo().add(cnp("named", LabelSelector.matchLabels(Map.of(Identity.NAMESPACE, "default")), List.of(
        new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Any()), List.of(named))))).engine();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isTrue();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 8080)).allowed()).isFalse();
    // kafka has no port named http
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/kafka", 80)).allowed()).isFalse();
  }

  static Clause strings(String path, Clause.Attribute a, boolean not, String... values) {
    return new Clause(path, a, "", new Clause.Values.Strings(
        java.util.Arrays.stream(values).map(v -> IstioString.parse(v, a == Clause.Attribute.HOST)).toList()), not);
  }

  static AuthzPolicy authz(String name, AuthzPolicy.AuthzAction action, List<AuthzPolicy.AuthzRule> rules) {
    return new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", "default", name), action,
        Optional.of(LabelSelector.matchLabels(Map.of("app", "jobs-api"))), rules);
  }

  @Test
  void istioAllowNothingDeniesEverything() {
    PolicyEngine e = Mesh.demo().add(authz("nothing", AuthzPolicy.AuthzAction.ALLOW, List.of())).engine();
    Verdict v = e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80));
    assertThat(v.allowed()).isFalse();
    assertThat(v.dialect(Dialect.ISTIO).rule()).isEqualTo("AuthorizationPolicy default/nothing");
  }

  @Test
  void istioPrincipalsNeedMtlsAndPathsIgnoreTheQuery() {
    AuthzPolicy.AuthzRule rule = new AuthzPolicy.AuthzRule("spec.rules[0]",
        List.of(List.of(strings("spec.rules[0].from[0].source.principals", Clause.Attribute.PRINCIPAL, false, "cluster.local/ns/default/sa/tweet"))),
        List.of(List.of(strings("spec.rules[0].to[0].operation.paths", Clause.Attribute.PATH, false, "/jobs/*"))), List.of());
    PolicyEngine e = Mesh.demo().add(authz("allow", AuthzPolicy.AuthzAction.ALLOW, List.of(rule))).engine();
    Flow f = Flow.tcp("default/tweet", "default/jobs-api", 80).withHttp(get("/jobs/1?x=y"));
    assertThat(e.evaluate(f).allowed()).isTrue();
    Verdict plain = e.evaluate(f.withMtls(false));
    assertThat(plain.allowed()).isFalse();
    assertThat(plain.denyMode()).contains(DenyMode.HTTP_403);
    // HTTP-only field on a TCP flow: the ALLOW rule never matches
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isFalse();
  }

  @Test
  void istioDenyIsEvaluatedBeforeAllowAndIgnoresHttpFieldsOnTcp() {
    AuthzPolicy.AuthzRule any = new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(), List.of(), List.of());
    AuthzPolicy.AuthzRule get = new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(),
        List.of(List.of(strings("spec.rules[0].to[0].operation.methods", Clause.Attribute.METHOD, false, "GET"))), List.of());
    PolicyEngine e = Mesh.demo().add(authz("all", AuthzPolicy.AuthzAction.ALLOW, List.of(any)))
        .add(authz("no-get", AuthzPolicy.AuthzAction.DENY, List.of(get))).engine();
    Flow f = Flow.tcp("default/tweet", "default/jobs-api", 80);
    assertThat(e.evaluate(f.withHttp(get("/x"))).allowed()).isFalse();
    assertThat(e.evaluate(f.withHttp(new HttpRequest("POST", "/x", "h", Map.of()))).allowed()).isTrue();
    Verdict tcp = e.evaluate(f);
    assertThat(tcp.allowed()).isFalse();
    assertThat(tcp.denyMode()).contains(DenyMode.DROP);
  }

  @Test
  void strictPeerAuthenticationRefusesPlaintext() {
    PolicyEngine e = Mesh.demo().add(new MtlsPolicy(new PolicyRef(Dialect.ISTIO, "PeerAuthentication", "istio-system", "mesh"),
        Optional.empty(), MtlsPolicy.Mode.STRICT, Map.of())).engine();
    assertThat(e.evaluate(Flow.tcp("default/tweet", "default/jobs-api", 80)).allowed()).isTrue();
    Verdict v = e.evaluate(Flow.tcp("203.0.113.7", "default/jobs-api", 80));
    assertThat(v.allowed()).isFalse();
    assertThat(v.dialect(Dialect.ISTIO).rule()).isEqualTo("PeerAuthentication istio-system/mesh");
  }

  @Test
  void identitiesAreSharedByEqualLabelSetsAndStable() {
    Mesh m = Mesh.demo();
    m.workloads.add(new weft.policy.model.WorkloadInfo("default", "tweet-2", Map.of("app", "tweet"), "tweet",
        List.of(), List.of(), "default", Optional.empty()));
    PolicyEngine a = m.engine();
    assertThat(a.identities().of("default/tweet")).isEqualTo(a.identities().of("default/tweet-2"));
    java.util.Collections.reverse(m.workloads);
    PolicyEngine b = m.engine();
    assertThat(b.identities().of("default/jobs-api").id()).isEqualTo(a.identities().of("default/jobs-api").id());
    assertThat(a.identities().of("default/jobs-api").id()).isBetween(256, 65535);
  }
}
