package weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The rules form of rbac.proto: Permission and Principal semantics, one row per documented rule. */
class RbacEngineTest {

  /** An ALLOW engine with one policy "p" made of {@code permission} and {@code principal}. */
  private static RbacEngine allow(String permission, String principal) {
    return RbacYaml.rules("action: ALLOW\npolicies:\n  p:\n    permissions: [" + permission
        + "]\n    principals: [" + principal + "]\n");
  }

  static Stream<Arguments> permissions() {
    UnaryOperator<TestRbacRequest> none = r -> r;
    return Stream.of(
        row("any matches everything", "{any: true}", "/x", none, true),
        row("header matches :method", "{header: {name: ':method', string_match: {exact: GET}}}", "/", none, true),
        row("header :method differs", "{header: {name: ':method', string_match: {exact: GET}}}", "/", r -> r.method("POST"), false),
        row("url_path ignores the query", "{url_path: {path: {prefix: /products}}}", "/products?page=2", none, true),
        row("url_path exact ignores the query", "{url_path: {path: {exact: /a}}}", "/a?x#f", none, true),
        row("url_path on a different path", "{url_path: {path: {prefix: /products}}}", "/orders", none, false),
        row("url_path never matches without a path (L4)", "{url_path: {path: {prefix: /}}}", "/", TestRbacRequest::l4, false),
        row("destination_port", "{destination_port: 8080}", "/", none, true),
        row("destination_port differs", "{destination_port: 443}", "/", none, false),
        row("destination_port_range is half-open", "{destination_port_range: {start: 8000, end: 8080}}", "/", none, false),
        row("destination_port_range contains", "{destination_port_range: {start: 8000, end: 8081}}", "/", none, true),
        row("destination_ip cidr", "{destination_ip: {address_prefix: 127.0.0.0, prefix_len: 8}}", "/", none, true),
        row("destination_ip other net", "{destination_ip: {address_prefix: 10.0.0.0, prefix_len: 8}}", "/", none, false),
        row("requested_server_name", "{requested_server_name: {suffix: .svc.test}}", "/", r -> r.sni("a.svc.test"), true),
        row("no SNI matches as empty", "{requested_server_name: {exact: ''}}", "/", none, true),
        row("and_rules needs all", "{and_rules: {rules: [{destination_port: 8080}, {url_path: {path: {exact: /a}}}]}}", "/b", none, false),
        row("or_rules needs one", "{or_rules: {rules: [{destination_port: 1}, {url_path: {path: {exact: /a}}}]}}", "/a", none, true),
        row("not_rule negates", "{not_rule: {url_path: {path: {prefix: /admin}}}}", "/admin/x", none, false),
        row("not_rule negates a miss", "{not_rule: {url_path: {path: {prefix: /admin}}}}", "/user", none, true));
  }

  static Stream<Arguments> principals() {
    UnaryOperator<TestRbacRequest> none = r -> r;
    UnaryOperator<TestRbacRequest> spiffe = r -> r.peer(List.of("spiffe://cluster.local/ns/default/sa/admin"),
        List.of("admin.default.svc"), "CN=admin,O=weft");
    return Stream.of(
        row("any", "{any: true}", "/", none, true),
        row("authenticated needs TLS", "{authenticated: {principal_name: {exact: x}}}", "/", none, false),
        row("authenticated without principal_name: any TLS peer", "{authenticated: {}}", "/", spiffe, true),
        row("authenticated matches a URI SAN", "{authenticated: {principal_name: {exact: 'spiffe://cluster.local/ns/default/sa/admin'}}}", "/", spiffe, true),
        row("authenticated falls back to a DNS SAN", "{authenticated: {principal_name: {exact: admin.default.svc}}}", "/", spiffe, true),
        row("authenticated falls back to the subject", "{authenticated: {principal_name: {prefix: 'CN=admin'}}}", "/", spiffe, true),
        row("authenticated with another identity", "{authenticated: {principal_name: {suffix: /sa/viewer}}}", "/", spiffe, false),
        row("remote_ip", "{remote_ip: {address_prefix: 10.1.0.0, prefix_len: 16}}", "/", none, true),
        row("remote_ip prefix_len bits", "{remote_ip: {address_prefix: 10.1.2.0, prefix_len: 31}}", "/", none, false),
        row("direct_remote_ip", "{direct_remote_ip: {address_prefix: 10.1.2.3, prefix_len: 32}}", "/", none, true),
        row("source_ip (deprecated) is the connection peer", "{source_ip: {address_prefix: 10.1.2.3, prefix_len: 32}}", "/", none, true),
        row("an IPv4 range never matches IPv6", "{remote_ip: {address_prefix: 0.0.0.0, prefix_len: 0}}", "/", r -> r.from("::1"), false),
        row("IPv6 range", "{remote_ip: {address_prefix: 'fd00::', prefix_len: 8}}", "/", r -> r.from("fd12::1"), true),
        row("header", "{header: {name: x-user, string_match: {exact: alice}}}", "/", r -> r.header("x-user", "alice"), true),
        row("and_ids", "{and_ids: {ids: [{any: true}, {header: {name: x-user, present_match: true}}]}}", "/", none, false),
        row("or_ids", "{or_ids: {ids: [{remote_ip: {address_prefix: 1.1.1.1, prefix_len: 32}}, {any: true}]}}", "/", none, true),
        row("not_id", "{not_id: {remote_ip: {address_prefix: 10.0.0.0, prefix_len: 8}}}", "/", none, false));
  }

  private static Arguments row(String name, String rule, String path, UnaryOperator<TestRbacRequest> req, boolean match) {
    return Arguments.of(name, rule, path, req, match);
  }

  @ParameterizedTest(name = "permission: {0}")
  @MethodSource("permissions")
  void permission(String name, String rule, String path, UnaryOperator<TestRbacRequest> req, boolean match) {
    RbacDecision d = allow(rule, "{any: true}").evaluate(req.apply(TestRbacRequest.get(path)));
    assertThat(d.allowed()).isEqualTo(match);
  }

  @ParameterizedTest(name = "principal: {0}")
  @MethodSource("principals")
  void principal(String name, String rule, String path, UnaryOperator<TestRbacRequest> req, boolean match) {
    RbacDecision d = allow("{any: true}", rule).evaluate(req.apply(TestRbacRequest.get(path)));
    assertThat(d.allowed()).isEqualTo(match);
  }

  @Test
  void allowActionAllowsOnlyWhatAPolicyMatchesAndNamesIt() {
    RbacEngine e = RbacYaml.rules("""
        action: ALLOW
        policies:
          readers:
            permissions: [{header: {name: ':method', string_match: {exact: GET}}}]
            principals: [{any: true}]
        """);
    assertThat(e.evaluate(TestRbacRequest.get("/"))).isEqualTo(new RbacDecision(true, "readers", false));
    assertThat(e.evaluate(TestRbacRequest.get("/").method("DELETE"))).isEqualTo(new RbacDecision(false, "", false));
  }

  @Test
  void denyActionDeniesWhatAPolicyMatches() {
    RbacEngine e = RbacYaml.rules("""
        action: DENY
        policies:
          no-admin:
            permissions: [{url_path: {path: {prefix: /admin}}}]
            principals: [{any: true}]
        """);
    assertThat(e.evaluate(TestRbacRequest.get("/admin"))).isEqualTo(new RbacDecision(false, "no-admin", false));
    assertThat(e.evaluate(TestRbacRequest.get("/home")).allowed()).isTrue();
  }

  @Test
  void logActionAlwaysAllowsAndAsksForALogWhenAPolicyMatches() {
    RbacEngine e = RbacYaml.rules("""
        action: LOG
        policies:
          audit: {permissions: [{url_path: {path: {prefix: /admin}}}], principals: [{any: true}]}
        """);
    assertThat(e.evaluate(TestRbacRequest.get("/admin"))).isEqualTo(new RbacDecision(true, "audit", true));
    assertThat(e.evaluate(TestRbacRequest.get("/x"))).isEqualTo(new RbacDecision(true, "", false));
  }

  @Test
  void policiesAreEvaluatedInNameOrder() {
    RbacEngine e = RbacYaml.rules("""
        action: ALLOW
        policies:
          zeta: {permissions: [{any: true}], principals: [{any: true}]}
          alpha: {permissions: [{any: true}], principals: [{any: true}]}
        """);
    assertThat(e.evaluate(TestRbacRequest.get("/")).policy()).isEqualTo("alpha");
  }

  @Test
  void aPolicyNeedsAMatchingPermissionAndAMatchingPrincipal() {
    RbacEngine e = RbacYaml.rules("""
        action: ALLOW
        policies:
          p:
            permissions: [{destination_port: 1}, {destination_port: 8080}]
            principals: [{header: {name: x-a, present_match: true}}, {remote_ip: {address_prefix: 10.0.0.0, prefix_len: 8}}]
        """);
    assertThat(e.evaluate(TestRbacRequest.get("/")).allowed()).isTrue();
    assertThat(e.evaluate(TestRbacRequest.get("/").from("192.168.0.1")).allowed()).isFalse();
    assertThat(e.evaluate(TestRbacRequest.get("/").to("127.0.0.1", 9)).allowed()).isFalse();
  }

  @Test
  void noPoliciesUnderAllowDeniesEverythingAndUnderDenyAllowsEverything() {
    assertThat(RbacYaml.rules("action: ALLOW").evaluate(TestRbacRequest.get("/")).allowed()).isFalse();
    assertThat(RbacYaml.rules("action: DENY").evaluate(TestRbacRequest.get("/")).allowed()).isTrue();
  }

  @Test
  void unsupportedRulesAreErrorsAndNoEngineIsBuilt() {
    assertThat(RbacYaml.rulesProblems("""
        action: ALLOW
        policies:
          p:
            permissions: [{metadata: {filter: f, path: [{key: k}], value: {present_match: true}}}]
            principals: [{any: true}]
            condition: {const_expr: {bool_value: true}}
        """)).containsExactly(
            "rules.policies[\"p\"].condition: field is not supported by weft",
            "rules.policies[\"p\"].permissions[0].metadata: field is not supported by weft",
            "rules.policies[\"p\"].permissions[0].metadata: permission rule metadata is not supported");
  }
}
