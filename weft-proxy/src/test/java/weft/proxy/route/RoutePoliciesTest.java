package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.route.RetryPolicy.RetryOn;

/** Retry, hash and mirror policies of a route (route_components.proto RetryPolicy, HashPolicy, RequestMirrorPolicy). */
class RoutePoliciesTest {

  private static RouteEntry entry(String routeYaml) {
    return ((RouteResult.Forward) Yaml.routes(routeYaml).route(TestRequest.get("/"))).entry();
  }

  @Test
  void retryPolicyIsParsedWithEnvoyDefaults() {
    RetryPolicy p = entry("""
        - match: {prefix: /}
          route:
            cluster: c
            retry_policy:
              retry_on: '5xx, connect-failure,retriable-status-codes,unavailable'
              retriable_status_codes: [409]
              per_try_timeout: 0.25s
              retry_host_predicate: [{name: envoy.retry_host_predicates.previous_hosts,
                typed_config: {'@type': type.googleapis.com/envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate}}]
              host_selection_retry_max_attempts: 3
        """).retryPolicy();
    assertThat(p.retryOn()).containsExactlyInAnyOrder(
        RetryOn.FIVE_XX, RetryOn.CONNECT_FAILURE, RetryOn.RETRIABLE_STATUS_CODES, RetryOn.GRPC_UNAVAILABLE);
    assertThat(p.numRetries()).isEqualTo(1); // RetryPolicy.num_retries default
    assertThat(p.perTryTimeoutMillis()).isEqualTo(250);
    assertThat(p.retriesStatus(409)).isTrue();
    assertThat(p.retriesStatus(500)).isFalse();
    assertThat(p.avoidPreviousHosts()).isTrue();
    assertThat(p.hostSelectionRetryMaxAttempts()).isEqualTo(3);
    assertThat(p.baseIntervalMillis()).isEqualTo(25);
    assertThat(p.maxIntervalMillis()).isEqualTo(250);
  }

  @Test
  void theVirtualHostRetryPolicyAppliesUnlessTheRouteHasItsOwn() {
    RouteTable t = Yaml.table("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          retry_policy: {retry_on: gateway-error, num_retries: 4}
          routes:
          - {match: {prefix: /own}, route: {cluster: c, retry_policy: {retry_on: reset}}}
          - {match: {prefix: /}, route: {cluster: c}}
        """);
    RetryPolicy inherited = ((RouteResult.Forward) t.route(TestRequest.get("/x"))).entry().retryPolicy();
    assertThat(inherited.retryOn()).containsExactly(RetryOn.GATEWAY_ERROR);
    assertThat(inherited.numRetries()).isEqualTo(4);
    RetryPolicy own = ((RouteResult.Forward) t.route(TestRequest.get("/own"))).entry().retryPolicy();
    assertThat(own.retryOn()).containsExactly(RetryOn.RESET);
    assertThat(own.numRetries()).isEqualTo(1);
  }

  @Test
  void noRetryPolicyMeansNoRetries() {
    assertThat(entry("- {match: {prefix: /}, route: {cluster: c}}").retryPolicy()).isSameAs(RetryPolicy.NONE);
    assertThat(RetryPolicy.NONE.retryOn()).isEmpty();
  }

  @Test
  void unknownRetryConditionsAreRejected() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes: [{match: {prefix: /}, route: {cluster: c, retry_policy: {retry_on: '5xx,sometimes'}}}]
        """)).containsExactly("route_config.virtual_hosts[0].routes[0].route.retry_policy.retry_on:"
            + " unknown or unsupported retry condition \"sometimes\"");
  }

  // router docs: fully jittered exponential back-off in [0, (2^N - 1) * base), capped at max
  @ParameterizedTest(name = "retry {0}, random {1} -> {2}ms")
  @CsvSource({
    "1, 0, 0",
    "1, 24, 24",
    "1, 25, 0",      // first retry: [0, 25)
    "2, 74, 74",     // second: [0, 75)
    "3, 174, 174",   // third: [0, 175)
    "4, 374, 250",   // fourth: [0, 375) capped at max 250
    "9, 1000000, 250",
  })
  void backOffIsFullyJitteredAndCapped(int retry, long random, long expected) {
    assertThat(RetryPolicy.NONE.backOffMillis(retry, random)).isEqualTo(expected);
  }

  @Test
  void backOffIntervalsAreConfigurable() {
    RetryPolicy p = entry("""
        - match: {prefix: /}
          route: {cluster: c, retry_policy: {retry_on: 5xx, retry_back_off: {base_interval: 0.1s}}}
        """).retryPolicy();
    assertThat(p.baseIntervalMillis()).isEqualTo(100);
    assertThat(p.maxIntervalMillis()).isEqualTo(1000); // default: 10 times the base
  }

  @Test
  void hashPoliciesMixValuesAndStopAtATerminalPolicyThatProducedOne() {
    RouteEntry e = entry("""
        - match: {prefix: /}
          route:
            cluster: c
            hash_policy:
            - {header: {header_name: x-user}, terminal: true}
            - {cookie: {name: session}}
            - {connection_properties: {source_ip: true}}
        """);
    TestRequest withUser = TestRequest.get("/").header("x-user", "alice");
    TestRequest withOtherCookie = TestRequest.get("/").header("x-user", "alice").header("cookie", "session=zz");
    assertThat(e.hashPolicy().hash(withUser)).isEqualTo(e.hashPolicy().hash(withOtherCookie));
    TestRequest a = TestRequest.get("/").header("cookie", "a=1; session=s1");
    TestRequest b = TestRequest.get("/").header("cookie", "session=s2; a=1");
    assertThat(e.hashPolicy().hash(a)).isPresent().isNotEqualTo(e.hashPolicy().hash(b));
    assertThat(e.hashPolicy().hash(TestRequest.get("/"))).isPresent(); // source ip always there
  }

  @Test
  void noHashInputMeansNoHash() {
    RouteEntry e = entry("- {match: {prefix: /}, route: {cluster: c, hash_policy: [{header: {header_name: x-u}}]}}");
    assertThat(e.hashPolicy().hash(TestRequest.get("/"))).isEqualTo(OptionalLong.empty());
  }

  @Test
  void mirrorPoliciesNameAStaticOrHeaderClusterAndSample() {
    RouteEntry e = entry("""
        - match: {prefix: /}
          route:
            cluster: c
            request_mirror_policies:
            - {cluster: shadow}
            - {cluster_header: x-mirror-cluster, runtime_fraction: {default_value: {numerator: 25, denominator: HUNDRED}}}
        """);
    MirrorPolicy always = e.mirrorPolicies().get(0);
    MirrorPolicy byHeader = e.mirrorPolicies().get(1);
    assertThat(always.cluster(TestRequest.get("/"))).isEqualTo("shadow");
    assertThat(always.sampled(99)).isTrue();
    assertThat(byHeader.cluster(TestRequest.get("/"))).isNull(); // no header: not mirrored
    assertThat(byHeader.cluster(TestRequest.get("/").header("x-mirror-cluster", "m2"))).isEqualTo("m2");
    assertThat(byHeader.sampled(24)).isTrue();
    assertThat(byHeader.sampled(25)).isFalse();
    assertThat(byHeader.sampled(124)).isTrue();
  }

  @Test
  void theMostSpecificNonEmptyListOfMirrorPoliciesApplies() {
    RouteTable t = Yaml.table("""
        request_mirror_policies: [{cluster: from-config}]
        virtual_hosts:
        - name: vh
          domains: [vh.test]
          request_mirror_policies: [{cluster: from-vhost}]
          routes:
          - {match: {prefix: /own}, route: {cluster: c, request_mirror_policies: [{cluster: from-route}]}}
          - {match: {prefix: /}, route: {cluster: c}}
        - {name: other, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(mirrorCluster(t, TestRequest.get("vh.test", "/own"))).isEqualTo("from-route");
    assertThat(mirrorCluster(t, TestRequest.get("vh.test", "/x"))).isEqualTo("from-vhost");
    assertThat(mirrorCluster(t, TestRequest.get("x.test", "/x"))).isEqualTo("from-config");
  }

  private static String mirrorCluster(RouteTable t, TestRequest r) {
    var policies = ((RouteResult.Forward) t.route(r)).entry().mirrorPolicies();
    assertThat(policies).hasSize(1);
    return policies.get(0).staticCluster();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"localhost:10000, localhost-shadow:10000", "a.test, a.test-shadow", "'[::1]:80', '[::1]-shadow:80'"})
  void shadowAuthorityAppendsTheSuffixToTheHost(String authority, String shadow) {
    assertThat(MirrorPolicy.shadowAuthority(authority)).isEqualTo(shadow);
  }
}
