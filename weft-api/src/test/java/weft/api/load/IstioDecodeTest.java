package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.api.AuthorizationPolicy;
import weft.api.PeerAuthentication;
import weft.api.istio.Action;
import weft.api.istio.AuthorizationRule;
import weft.api.istio.Condition;
import weft.api.istio.ConditionKey;
import weft.api.istio.ConditionKey.Attribute;
import weft.api.istio.MtlsMode;
import weft.api.istio.Operation;
import weft.api.istio.Source;
import weft.api.meta.Cidr;

class IstioDecodeTest {
  private static final String AP =
      "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ap, namespace: jobs}\n";
  private static final String PA =
      "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: pa, namespace: jobs}\n";

  @Test
  void allowPolicyWithSourcesOperationsAndConditions() {
    AuthorizationPolicy ap =
        Docs.single(
            AP
                + """
                spec:
                  selector: {matchLabels: {app: jobs-api}}
                  rules:
                  - from:
                    - source:
                        principals: [cluster.local/ns/default/sa/tweet]
                        notNamespaces: [untrusted]
                        ipBlocks: [10.0.0.0/8]
                        remoteIpBlocks: [203.0.113.7]
                    to:
                    - operation: {methods: [GET], paths: ["/jobs/*"], notPaths: ["/jobs/admin*"], ports: ["8080"]}
                    when:
                    - {key: "request.headers[x-tenant]", values: [acme]}
                    - {key: source.ip, notValues: [10.1.0.0/16]}
                    - {key: destination.port, values: ["8080"]}
                """,
            AuthorizationPolicy.class);
    assertThat(ap.action()).isEqualTo(Action.ALLOW);
    assertThat(ap.selector()).isEqualTo(Map.of("app", "jobs-api"));
    AuthorizationRule rule = ap.rules().get(0);
    assertThat(rule.from())
        .containsExactly(
            new Source(
                List.of("cluster.local/ns/default/sa/tweet"), List.of(), List.of(), List.of(), List.of(),
                List.of("untrusted"), List.of(Cidr.parse("10.0.0.0/8")), List.of(),
                List.of(Cidr.parse("203.0.113.7/32")), List.of()));
    assertThat(rule.to())
        .containsExactly(
            new Operation(
                List.of(), List.of(), List.of(8080), List.of(), List.of("GET"), List.of(), List.of("/jobs/*"),
                List.of("/jobs/admin*")));
    assertThat(rule.when())
        .containsExactly(
            new Condition(new ConditionKey(Attribute.REQUEST_HEADERS, Optional.of("x-tenant")), List.of("acme"), List.of()),
            new Condition(new ConditionKey(Attribute.SOURCE_IP, Optional.empty()), List.of(), List.of("10.1.0.0/16")),
            new Condition(new ConditionKey(Attribute.DESTINATION_PORT, Optional.empty()), List.of("8080"), List.of()));
  }

  @Test
  void policyWithoutSpecAllowsNothing() {
    // Istio "Authorization Policy": an ALLOW policy with no rules matches nothing (deny all).
    AuthorizationPolicy ap = Docs.single(AP + "spec: {}", AuthorizationPolicy.class);
    assertThat(ap.action()).isEqualTo(Action.ALLOW);
    assertThat(ap.rules()).isEmpty();
    assertThat(ap.selector()).isEmpty();
  }

  @Test
  void denyAndAuditActions() {
    assertThat(Docs.single(AP + "spec: {action: DENY, rules: [{}]}", AuthorizationPolicy.class).action())
        .isEqualTo(Action.DENY);
    assertThat(Docs.single(AP + "spec: {action: AUDIT}", AuthorizationPolicy.class).action())
        .isEqualTo(Action.AUDIT);
  }

  @Test
  void peerAuthenticationModesAndPortLevelMtls() {
    PeerAuthentication pa =
        Docs.single(
            PA
                + """
                spec:
                  selector: {matchLabels: {app: jobs-api}}
                  mtls: {mode: STRICT}
                  portLevelMtls:
                    "8080": {mode: PERMISSIVE}
                    9090: {mode: DISABLE}
                """,
            PeerAuthentication.class);
    assertThat(pa.mode()).isEqualTo(MtlsMode.STRICT);
    assertThat(pa.portLevelMtls()).isEqualTo(Map.of(8080, MtlsMode.PERMISSIVE, 9090, MtlsMode.DISABLE));
    assertThat(Docs.single(PA + "spec: {}", PeerAuthentication.class).mode()).isEqualTo(MtlsMode.UNSET);
  }

  static Stream<Arguments> invalidPolicies() {
    String at = "test.yaml[0]: AuthorizationPolicy jobs/ap: ";
    return Stream.of(
        Arguments.of("CUSTOM", "spec: {action: CUSTOM, provider: {name: ext}}", List.of(
            at + "spec.action: action CUSTOM is not supported", at + "spec.provider: field is not supported by weft")),
        Arguments.of("unknown action", "spec: {action: allow}", List.of(
            at + "spec.action: unknown action \"allow\" (expected: ALLOW, DENY or AUDIT)")),
        Arguments.of("targetRef", "spec: {targetRef: {kind: Gateway, name: gw}}", List.of(
            at + "spec.targetRef: field is not supported by weft")),
        Arguments.of("unknown when key", "spec: {rules: [{when: [{key: source.service, values: [a]}]}]}", List.of(
            at + "spec.rules[0].when[0].key: unknown key \"source.service\" (expected: request.headers[...], source.ip, remote.ip,"
                + " source.namespace, source.principal, request.auth.principal, request.auth.claims[...], destination.ip,"
                + " destination.port or connection.sni)")),
        Arguments.of("header key needs a name", "spec: {rules: [{when: [{key: request.headers, values: [a]}]}]}", List.of(
            at + "spec.rules[0].when[0].key: key \"request.headers\" needs a parameter, e.g. request.headers[name]")),
        Arguments.of("values or notValues", "spec: {rules: [{when: [{key: source.namespace}]}]}", List.of(
            at + "spec.rules[0].when[0]: at least one of values or notValues must be set for key source.namespace")),
        Arguments.of("source.ip values are IPs", "spec: {rules: [{when: [{key: source.ip, values: [localhost]}]}]}", List.of(
            at + "spec.rules[0].when[0].values[0]: invalid IP address \"localhost\"")),
        Arguments.of("ports are numbers", "spec: {rules: [{to: [{operation: {ports: [http]}}]}]}", List.of(
            at + "spec.rules[0].to[0].operation.ports[0]: expected a port number 1..65535, got \"http\"")),
        Arguments.of("empty from", "spec: {rules: [{from: []}]}", List.of(
            at + "spec.rules[0].from: must not be empty (omit it to match any source)")),
        Arguments.of("empty source", "spec: {rules: [{from: [{source: {}}]}]}", List.of(
            at + "spec.rules[0].from[0].source: must not be empty")),
        Arguments.of("source is required", "spec: {rules: [{from: [{}]}]}", List.of(
            at + "spec.rules[0].from[0].source: required")),
        Arguments.of("star in the middle", "spec: {rules: [{to: [{operation: {paths: [/a/*/b]}}]}]}", List.of(
            at + "spec.rules[0].to[0].operation.paths[0]: invalid value \"/a/*/b\" ('*' is only allowed once, at the start or the end)")),
        Arguments.of("ipBlocks are IPs", "spec: {rules: [{from: [{source: {ipBlocks: [10.0.0.0/33]}}]}]}", List.of(
            at + "spec.rules[0].from[0].source.ipBlocks[0]: invalid CIDR \"10.0.0.0/33\": prefix length \"33\" (expected: 0..32)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void invalidAuthorizationPoliciesAreRefusedWithTheFieldPath(String rule, String spec, List<String> errors) {
    assertThat(Docs.errors(AP + spec)).containsExactlyElementsOf(errors);
  }

  static Stream<Arguments> invalidPeerAuthentications() {
    String at = "test.yaml[0]: PeerAuthentication jobs/pa: ";
    return Stream.of(
        Arguments.of("unknown mode", "spec: {mtls: {mode: strict}}", List.of(
            at + "spec.mtls.mode: unknown mode \"strict\" (expected: STRICT, PERMISSIVE, DISABLE or UNSET)")),
        Arguments.of("port-level needs a selector", "spec: {portLevelMtls: {\"80\": {mode: DISABLE}}}", List.of(
            at + "spec.portLevelMtls: needs a workload selector (Istio applies port-level mTLS only to selected workloads)")),
        Arguments.of("port keys are ports", "spec: {selector: {matchLabels: {a: b}}, portLevelMtls: {http: {mode: DISABLE}}}", List.of(
            at + "spec.portLevelMtls.http: expected a port number 1..65535 as key, got \"http\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPeerAuthentications")
  void invalidPeerAuthenticationsAreRefusedWithTheFieldPath(String rule, String spec, List<String> errors) {
    assertThat(Docs.errors(PA + spec)).containsExactlyElementsOf(errors);
  }
}
