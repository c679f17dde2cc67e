package weft.policy.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Dialect;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.Protocol;
import weft.policy.model.Rule;

/** The algebra of the engine: allows only add, denies always win, order never matters. */
class PolicyPropertiesTest {

  @Provide
  Arbitrary<List<LabelPolicy>> labelPolicies() {
    return PolicyArbitraries.labelPolicies().list().ofMaxSize(4);
  }

  @Provide
  Arbitrary<List<AuthzPolicy>> authzPolicies() {
    return PolicyArbitraries.authzPolicies().list().ofMaxSize(3);
  }

  @Provide
  Arbitrary<Flow> flows() {
    return PolicyArbitraries.flows();
  }

  @Provide
  Arbitrary<Rule> allowRules() {
    return PolicyArbitraries.rules(Action.ALLOW);
  }

  @Provide
  Arbitrary<AuthzPolicy.AuthzRule> authzRules() {
    return PolicyArbitraries.authzRules();
  }

  static Verdict evaluate(List<LabelPolicy> label, List<AuthzPolicy> authz, Flow f) {
    Mesh m = Mesh.demo();
    m.label.addAll(label);
    m.authz.addAll(authz);
    return m.engine().evaluate(f);
  }

  @Property(tries = 200)
  void addingAnAllowRuleNeverTurnsAnAllowedFlowIntoADeny(
      @ForAll("labelPolicies") List<LabelPolicy> label,
      @ForAll("authzPolicies") List<AuthzPolicy> authz,
      @ForAll("flows") Flow flow,
      @ForAll("allowRules") Rule extra,
      @ForAll("authzRules") AuthzPolicy.AuthzRule extraAuthz,
      @ForAll boolean egress) {
    Verdict before = evaluate(label, authz, flow);
    List<LabelPolicy> moreLabel = new ArrayList<>(label);
    if (!moreLabel.isEmpty()) {
      LabelPolicy p = moreLabel.get(0);
      Rule fit = PolicyArbitraries.fitFor(p.ref().dialect(), extra);
      moreLabel.set(0, new LabelPolicy(p.ref(), p.subject(), p.defaultDeny(),
          egress ? p.ingress() : PolicyArbitraries.concat(p.ingress(), List.of(fit)),
          egress ? PolicyArbitraries.concat(p.egress(), List.of(fit)) : p.egress(), List.of(), List.of()));
    }
    List<AuthzPolicy> moreAuthz = new ArrayList<>(authz);
    for (int i = 0; i < moreAuthz.size(); i++) {
      AuthzPolicy a = moreAuthz.get(i);
      if (a.action() == AuthzPolicy.AuthzAction.ALLOW) {
        moreAuthz.set(i, new AuthzPolicy(a.ref(), a.action(), a.selector(), PolicyArbitraries.concat(a.rules(), List.of(extraAuthz))));
        break;
      }
    }
    Verdict after = evaluate(moreLabel, moreAuthz, flow);
    if (before.allowed()) assertThat(after.allowed()).as("before:\n%s\nafter:\n%s", before, after).isTrue();
  }

  @Property(tries = 200)
  void aMatchingDenyRuleAlwaysWins(
      @ForAll("labelPolicies") List<LabelPolicy> label,
      @ForAll("authzPolicies") List<AuthzPolicy> authz,
      @ForAll("flows") Flow flow) {
    if (!(flow.destination() instanceof Endpoint.Workload w)) return;
    List<LabelPolicy> withDeny = new ArrayList<>(label);
    withDeny.add(new LabelPolicy(new PolicyRef(Dialect.CILIUM, "CiliumNetworkPolicy", "default", "zz-deny"),
        LabelSelector.matchLabels(Map.of(Identity.NAMESPACE, w.namespace())), java.util.Set.of(),
        List.of(new Rule("spec.ingressDeny[0]", Action.DENY, List.of(new Peer.Any()), List.of())), List.of(), List.of(), List.of()));
    Verdict v = evaluate(withDeny, authz, flow);
    assertThat(v.allowed()).isFalse();
    assertThat(v.dialect(Dialect.CILIUM).allowed()).isFalse();
    // the source's egress is judged first; when it allows, the deny decides
    if (!v.dialect(Dialect.CILIUM).reason().startsWith("egress")) {
      assertThat(v.dialect(Dialect.CILIUM).reason()).contains("denied by a deny rule, which wins over every allow");
    }
    if (flow.protocol() == Protocol.TCP) {
      List<AuthzPolicy> withIstioDeny = new ArrayList<>(authz);
      withIstioDeny.add(new AuthzPolicy(new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", "default", "zz-deny"),
          AuthzPolicy.AuthzAction.DENY, Optional.empty(), List.of(new AuthzPolicy.AuthzRule("spec.rules[0]", List.of(), List.of(), List.of()))));
      assertThat(evaluate(label, withIstioDeny, flow).dialect(Dialect.ISTIO).allowed()).isFalse();
    }
  }

  @Property(tries = 200)
  void policyOrderNeverChangesAVerdict(
      @ForAll("labelPolicies") List<LabelPolicy> label,
      @ForAll("authzPolicies") List<AuthzPolicy> authz,
      @ForAll("flows") Flow flow,
      @ForAll long seed) {
    List<LabelPolicy> l = new ArrayList<>(label);
    List<AuthzPolicy> a = new ArrayList<>(authz);
    Collections.shuffle(l, new Random(seed));
    Collections.shuffle(a, new Random(seed + 1));
    assertThat(evaluate(l, a, flow)).isEqualTo(evaluate(label, authz, flow));
  }

  @Property(tries = 200)
  void theDataPathCheckAgreesWithTheExplainedEvaluate(
      @ForAll("labelPolicies") List<LabelPolicy> label,
      @ForAll("authzPolicies") List<AuthzPolicy> authz,
      @ForAll("flows") Flow flow) {
    Mesh m = Mesh.demo();
    m.label.addAll(label);
    m.authz.addAll(authz);
    PolicyEngine e = m.engine();
    Verdict v = e.evaluate(flow);
    assertThat(Optional.ofNullable(e.check(flow))).as(v.toString()).isEqualTo(v.denyMode());
  }
}
