package weft.proxy.filter.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;

/** rbac_filter docs: statistics and shadow rules of the HTTP and network RBAC filters. */
class RbacFilterConfigTest {

  private static RbacFilterConfig http(String yaml, StatsStore stats) {
    ConfigProblems problems = new ConfigProblems();
    RbacFilterConfig c = RbacFilterConfig.compileHttp(
        RbacYaml.parse(yaml, io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder()),
        "ingress", stats, ConfigPath.of("rbac"), problems);
    assertThat(problems.list()).isEmpty();
    return c;
  }

  @Test
  void httpFilterCountsAllowedAndDeniedUnderHttpStatPrefixRbac() {
    StatsStore stats = new StatsStore();
    RbacFilterConfig c = http("""
        rules:
          action: ALLOW
          policies:
            get-only: {permissions: [{header: {name: ':method', string_match: {exact: GET}}}], principals: [{any: true}]}
        shadow_rules:
          action: DENY
          policies:
            no-admin: {permissions: [{url_path: {path: {prefix: /admin}}}], principals: [{any: true}]}
        shadow_rules_stat_prefix: 'trial_'
        """, stats);
    RbacFilterConfig.Check allowed = c.check(TestRbacRequest.get("/admin"));
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.enforced().policy()).isEqualTo("get-only");
    assertThat(allowed.shadow()).isEqualTo(new RbacDecision(false, "no-admin", false));
    assertThat(c.check(TestRbacRequest.get("/").method("POST")).allowed()).isFalse();
    assertThat(stats.counter("http.ingress.rbac.allowed").value()).isEqualTo(1);
    assertThat(stats.counter("http.ingress.rbac.denied").value()).isEqualTo(1);
    assertThat(stats.counter("http.ingress.rbac.trial_shadow_denied").value()).isEqualTo(1);
    assertThat(stats.counter("http.ingress.rbac.trial_shadow_allowed").value()).isEqualTo(1);
  }

  @Test
  void withoutRulesNothingIsEnforcedOrCounted() {
    StatsStore stats = new StatsStore();
    RbacFilterConfig c = http("rules_stat_prefix: x_", stats);
    assertThat(c.enforces()).isFalse();
    assertThat(c.check(TestRbacRequest.get("/")).allowed()).isTrue();
    assertThat(stats.counter("http.ingress.rbac.x_allowed").value()).isZero();
  }

  @Test
  void rulesAndMatcherTogetherAreRejected() {
    ConfigProblems problems = new ConfigProblems();
    var proto = RbacYaml.parse("""
        rules: {action: ALLOW}
        matcher: {on_no_match: {action: {name: a, typed_config: {'@type': type.googleapis.com/envoy.config.rbac.v3.Action, name: a}}}}
        """, io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder());
    assertThat(RbacFilterConfig.compileHttp((io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC) proto,
        "ingress", new StatsStore(), ConfigPath.of("rbac"), problems)).isNull();
    assertThat(problems.list()).extracting(Object::toString)
        .containsExactly("rbac: rules and matcher are both set (expected: at most one)");
  }

  @Test
  void networkFilterChecksTheConnectionAndCountsUnderItsStatPrefix() {
    StatsStore stats = new StatsStore();
    ConfigProblems problems = new ConfigProblems();
    RbacFilterConfig c = RbacFilterConfig.compileNetwork(RbacYaml.parse("""
        stat_prefix: tcp_in
        rules:
          action: ALLOW
          policies:
            mesh: {permissions: [{destination_port: 8080}], principals: [{authenticated: {principal_name: {prefix: 'spiffe://weft/'}}}]}
        """, io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()),
        stats, ConfigPath.of("rbac"), problems);
    assertThat(problems.list()).isEmpty();
    TestRbacRequest mtls = TestRbacRequest.get("/").l4().peer(java.util.List.of("spiffe://weft/sa/a"), java.util.List.of(), "");
    assertThat(c.check(mtls).allowed()).isTrue();
    assertThat(c.check(TestRbacRequest.get("/").l4()).allowed()).isFalse();
    assertThat(stats.counter("tcp_in.rbac.allowed").value()).isEqualTo(1);
    assertThat(stats.counter("tcp_in.rbac.denied").value()).isEqualTo(1);
  }

  @Test
  void continuousEnforcementIsRefused() {
    ConfigProblems problems = new ConfigProblems();
    RbacFilterConfig.compileNetwork(RbacYaml.parse("{stat_prefix: t, enforcement_type: CONTINUOUS}",
        io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()), new StatsStore(),
        ConfigPath.of("rbac"), problems);
    assertThat(problems.list()).extracting(Object::toString)
        .containsExactly("rbac.enforcement_type: enforcement_type CONTINUOUS is not supported");
  }
}
