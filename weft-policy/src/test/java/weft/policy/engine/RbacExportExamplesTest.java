package weft.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import weft.policy.export.InboundRbac;
import weft.policy.export.RbacExport;
import weft.policy.model.Action;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Cidr;
import weft.policy.model.Clause;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.Rule;

/**
 * Regression examples for counterexamples {@link RbacEquivalenceTest} found: the exported RBAC,
 * enforced by the proxy, must judge each flow as {@link PolicyEngine#evaluate} does.
 */
class RbacExportExamplesTest {
  static final PolicyRef NP = new PolicyRef(Dialect.KUBERNETES, "NetworkPolicy", "default", "np");

  static LabelPolicy networkPolicy(List<Rule> ingress) {
    return new LabelPolicy(NP, PolicyEngineTest.app("default", "recruiter"), Set.of(Direction.INGRESS), ingress,
        List.of(), List.of(), List.of());
  }

  /** evaluate's verdict, after asserting that the exported RBAC agrees with it. */
  static Verdict judgedAlike(PolicyEngine engine, Flow flow) {
    Verdict v = engine.evaluate(flow);
    Endpoint.Workload dst = (Endpoint.Workload) flow.destination();
    InboundRbac rbac = RbacExport.export(engine, dst.namespace(), dst.name());
    boolean enforced = RbacEquivalenceTest.enforce(rbac, RbacEquivalenceTest.request(engine, flow));
    assertThat(enforced).as("%s\nevaluate: %s\nrbac: %s", flow.describe(), v, rbac).isEqualTo(v.allowed());
    return v;
  }

  static Flow http(String method, String path) {
    return Flow.tcp("default/tweet", "default/recruiter", 80).withHttp(new HttpRequest(method, path, "jobs-api", Map.of()));
  }

  // The counterexample of 2026-11-21: a Kubernetes port rule carrying generated HTTP rules. evaluate
  // applied them (POST /x: 403), the export (NetworkPolicy is L3/L4 only) did not. No NetworkPolicy
  // can say this, so the model refuses it instead of giving it two meanings.
  @Test
  void aKubernetesPolicyWithHttpRulesCannotBeBuilt() {
    Rule withHttp = new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Any()),
        List.of(PolicyEngineTest.tcp("spec.ingress[0].ports", 80, PolicyEngineTest.getJobs())));
    assertThatThrownBy(() -> networkPolicy(List.of(withHttp)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NetworkPolicy default/np spec.ingress[0].ports: L7 rules in a Kubernetes policy"
            + " (expected: none, NetworkPolicy is L3/L4 only)");
  }

  @Test
  void aKubernetesPolicyWithADenyRuleCannotBeBuilt() {
    Rule deny = new Rule("spec.ingress[0]", Action.DENY, List.of(new Peer.Any()), List.of());
    assertThatThrownBy(() -> networkPolicy(List.of(deny)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("NetworkPolicy default/np spec.ingress[0]: deny rule in a Kubernetes policy"
            + " (expected: allow rules only)");
  }

  // docs/policy.md "How dialects combine": the NetworkPolicy allows port 80 at L4, the CNP's HTTP
  // rule then decides each request; both must allow.
  @Test
  void aKubernetesPortRuleLayeredWithCiliumHttpRulesLetsOnlyTheHttpRuleThrough() {
    Rule port80 = new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Any()),
        List.of(PolicyEngineTest.tcp("spec.ingress[0].ports", 80, L7Rules.NONE)));
    Rule getJobs = new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Any()),
        List.of(PolicyEngineTest.tcp("spec.ingress[0].toPorts[0]", 80, PolicyEngineTest.getJobs())));
    PolicyEngine e = Mesh.demo().add(networkPolicy(List.of(port80)))
        .add(PolicyEngineTest.cnp("get-jobs", PolicyEngineTest.app("default", "recruiter"), List.of(getJobs))).engine();

    Verdict post = judgedAlike(e, http("POST", "/x"));
    assertThat(post.denyMode()).contains(DenyMode.HTTP_403);
    assertThat(post.dialect(Dialect.KUBERNETES).allowed()).isTrue();
    assertThat(post.dialect(Dialect.CILIUM).rule()).isEqualTo("CiliumNetworkPolicy default/get-jobs spec.ingress[0].toPorts[0]");
    assertThat(judgedAlike(e, http("GET", "/jobs/1")).allowed()).isTrue();
    assertThat(judgedAlike(e, Flow.tcp("default/tweet", "default/recruiter", 8005)).allowed()).isFalse();
  }

  @Test
  void aKubernetesPortRuleAloneLetsEveryRequestThrough() {
    Rule port80 = new Rule("spec.ingress[0]", Action.ALLOW, List.of(new Peer.Any()),
        List.of(PolicyEngineTest.tcp("spec.ingress[0].ports", 80, L7Rules.NONE)));
    PolicyEngine e = Mesh.demo().add(networkPolicy(List.of(port80))).engine();
    assertThat(judgedAlike(e, http("POST", "/x")).allowed()).isTrue();
    assertThat(judgedAlike(e, Flow.tcp("default/tweet", "default/recruiter", 8005)).allowed()).isFalse();
  }

  // Found with the seed unpinned: two rules of one AuthorizationPolicy exported under the same RBAC
  // policy name, so the second replaced the first (here a match-all rule by a port-80 rule; for a
  // DENY policy a lost rule fails open). Every rule now gets its own name.
  @Test
  void everyIstioRuleIsExportedEvenWhenTwoRulesShareAPath() {
    Clause port80 = new Clause("to.ports", Clause.Attribute.PORT, "", new Clause.Values.Ports(Set.of(80)), false);
    AuthzPolicy allow = new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", "default", "allow"),
        AuthzPolicy.AuthzAction.ALLOW, Optional.of(LabelSelector.matchLabels(Map.of("app", "tweet"))), List.of(
            new AuthzPolicy.AuthzRule("spec.rules[6]", List.of(), List.of(), List.of()),
            new AuthzPolicy.AuthzRule("spec.rules[6]", List.of(), List.of(List.of(port80)), List.of())));
    Clause world = new Clause("from.ipBlocks", Clause.Attribute.SOURCE_IP, "",
        new Clause.Values.Cidrs(List.of(Cidr.of("203.0.113.0/24"))), false);
    AuthzPolicy deny = new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", "default", "deny"),
        AuthzPolicy.AuthzAction.DENY, Optional.of(LabelSelector.matchLabels(Map.of("app", "tweet"))), List.of(
            new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(), List.of(List.of(port80)), List.of()),
            new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(List.of(world)), List.of(), List.of())));
    PolicyEngine e = Mesh.demo().add(allow).add(deny)
        .add(new MtlsPolicy(new PolicyRef(Dialect.ISTIO, "PeerAuthentication", "istio-system", "mesh"),
            Optional.empty(), MtlsPolicy.Mode.STRICT, Map.of())).engine();
    assertThat(judgedAlike(e, Flow.tcp("default/tweet", "default/tweet", 53)).allowed()).isTrue();
    assertThat(judgedAlike(e, Flow.tcp("default/tweet", "default/tweet", 80)).allowed()).isFalse();
    assertThat(judgedAlike(e, Flow.tcp("203.0.113.7", "default/tweet", 53).withMtls(true)
        .withPrincipal("spiffe://cluster.local/ns/default/sa/x")).allowed()).isFalse();
  }
}
