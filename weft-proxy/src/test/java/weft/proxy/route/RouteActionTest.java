package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RouteAction, RedirectAction and DirectResponseAction (route_components.proto). */
class RouteActionTest {

  private static RouteResult.Forward forward(RouteTable t, TestRequest r) {
    return (RouteResult.Forward) t.route(r, 0);
  }

  // RouteAction.prefix_rewrite: "requests to /prefix will be stripped to /, while requests to
  // /prefix/etc will be stripped to /etc" (with routes /prefix/ then /prefix, both rewriting to /)
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "/prefix/etc, /etc",
    "/prefix, /",
    "/prefixetc, /etc",
    "/prefix/etc?x=1, /etc?x=1",
  })
  void prefixRewriteReplacesTheMatchedPrefix(String path, String rewritten) {
    RouteTable t = Yaml.routes("""
        - {match: {prefix: /prefix/}, route: {prefix_rewrite: /, cluster: c}}
        - {match: {prefix: /prefix}, route: {prefix_rewrite: /, cluster: c}}
        """);
    assertThat(forward(t, TestRequest.get(path)).entry().rewritePath(path)).isEqualTo(rewritten);
  }

  @Test
  void prefixRewriteOnACaseInsensitiveRouteReplacesTheMatchedLength() {
    RouteTable t = Yaml.routes("- {match: {prefix: /old, case_sensitive: false}, route: {prefix_rewrite: /new, cluster: c}}");
    assertThat(forward(t, TestRequest.get("/OLD/x")).entry().rewritePath("/OLD/x")).isEqualTo("/new/x");
  }

  // RouteAction.regex_rewrite examples
  @ParameterizedTest(name = "{0} / {1}: {2} -> {3}")
  @CsvSource(delimiter = '|', value = {
    "^/service/([^/]+)(/.*)$ | \\2/instance/\\1 | /service/foo/v1/api | /v1/api/instance/foo",
    "one | two | /xxx/one/yyy/one/zzz | /xxx/two/yyy/two/zzz",
    "^(.*?)one(.*)$ | \\1two\\2 | /xxx/one/yyy/one/zzz | /xxx/two/yyy/one/zzz",
    "(?i)/xxx/ | /yyy/ | /aaa/XxX/bbb | /aaa/yyy/bbb",
    "one | a$b | /one?q=one | /a$b?q=one",
    "(a)(b)(c)(d)(e)(f)(g)(h)(i)(j) | \\10 | /abcdefghij | /a0",
    "x | \\\\ | /x | /\\",
    "nomatch | y | /a?q | /a?q",
  })
  void regexRewriteSubstitutesInThePathAndKeepsTheQuery(String pattern, String subst, String path, String expected) {
    RouteTable t = Yaml.routes("- match: {prefix: /}\n  route:\n    cluster: c\n    regex_rewrite: {pattern: {regex: '"
        + pattern + "'}, substitution: '" + subst + "'}");
    assertThat(forward(t, TestRequest.get(path)).entry().rewritePath(path)).isEqualTo(expected);
  }

  @Test
  void regexRewriteReferringToAMissingGroupIsRejected() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - match: {prefix: /}
            route: {cluster: c, regex_rewrite: {pattern: {regex: '(a)'}, substitution: '\\2'}}
        """)).singleElement().asString()
        .startsWith("route_config.virtual_hosts[0].routes[0].route.regex_rewrite.substitution: ")
        .endsWith(" refers to group 2 but the pattern has 1 capturing group");
  }

  @Test
  void finalizeRequestAppliesMutationsThenHostThenPathAndKeepsTheOriginalPath() {
    RouteTable t = Yaml.routes("""
        - match: {prefix: /api/}
          route: {cluster: c, prefix_rewrite: /, host_rewrite_literal: backend.test}
          request_headers_to_add: [{header: {key: x-seen-path, value: '%REQ(:path)%'}}]
        """);
    var request = new io.netty.handler.codec.http.DefaultHttpRequest(
        io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/api/x?y=1");
    request.headers().set("host", "front.test").set("x-envoy-original-path", "/forged");
    TestRequest view = new TestRequest("GET", "front.test", "/api/x?y=1", "http", request.headers(),
        new java.net.InetSocketAddress("10.0.0.1", 1));
    forward(t, view).entry().finalizeRequest(request, view, true);
    assertThat(request.uri()).isEqualTo("/x?y=1");
    assertThat(request.headers().get("host")).isEqualTo("backend.test");
    assertThat(request.headers().getAll("x-envoy-original-path")).containsExactly("/api/x?y=1");
    assertThat(request.headers().get("x-seen-path")).isEqualTo("/api/x?y=1");
  }

  @Test
  void noRewriteLeavesThePathAlone() {
    RouteTable t = Yaml.routes("- {match: {prefix: /}, route: {cluster: c}}");
    assertThat(forward(t, TestRequest.get("/a")).entry().rewritePath("/a")).isNull();
  }

  @Test
  void weightedClustersFollowCumulativeWeights() {
    // WeightedCluster: random % total picks the cluster whose cumulative range holds it
    RouteTable t = Yaml.routes("""
        - match: {prefix: /}
          route:
            weighted_clusters:
              runtime_key_prefix: ignored.without.runtime
              clusters: [{name: a, weight: 33}, {name: b, weight: 33}, {name: zero, weight: 0}, {name: c, weight: 34}]
        """);
    TestRequest r = TestRequest.get("/");
    assertThat(((RouteResult.Forward) t.route(r, 0)).cluster()).isEqualTo("a");
    assertThat(((RouteResult.Forward) t.route(r, 32)).cluster()).isEqualTo("a");
    assertThat(((RouteResult.Forward) t.route(r, 33)).cluster()).isEqualTo("b");
    assertThat(((RouteResult.Forward) t.route(r, 66)).cluster()).isEqualTo("c");
    assertThat(((RouteResult.Forward) t.route(r, 99)).cluster()).isEqualTo("c");
    assertThat(((RouteResult.Forward) t.route(r, 100)).cluster()).isEqualTo("a");
    // the random value is unsigned: (2^64 - 1) % 100 = 15
    assertThat(((RouteResult.Forward) t.route(r, -1)).cluster()).isEqualTo("a");
  }

  @Test
  void aWeightedClusterAddsItsOwnHeadersBeforeTheRoutesAndMayRewriteTheHost() {
    RouteTable t = Yaml.routes("""
        - match: {prefix: /}
          request_headers_to_add: [{header: {key: x-by, value: route}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
          route:
            weighted_clusters:
              clusters:
              - name: canary
                weight: 1
                host_rewrite_literal: canary.test
                request_headers_to_add: [{header: {key: x-by, value: cluster}}, {header: {key: x-canary, value: '1'}}]
                response_headers_to_add: [{header: {key: x-served-by, value: canary}}]
              - {name: stable, weight: 1}
        """);
    TestRequest r = TestRequest.get("/");
    RouteResult.Forward canary = (RouteResult.Forward) t.route(r, 0);
    RouteResult.Forward stable = (RouteResult.Forward) t.route(r, 1);
    assertThat(canary.cluster()).isEqualTo("canary");
    canary.entry().requestHeaderMutations().apply(r.headers(), r);
    assertThat(r.headers().getAll("x-by")).containsExactly("route"); // the route's overwrite runs last
    assertThat(r.headers().get("x-canary")).isEqualTo("1");
    assertThat(canary.entry().rewrittenHost(r)).isEqualTo("canary.test");
    var resp = new io.netty.handler.codec.http.DefaultHttpHeaders();
    canary.entry().responseHeaderMutations().apply(resp, r);
    assertThat(resp.get("x-served-by")).isEqualTo("canary");
    assertThat(stable.entry().rewrittenHost(r)).isNull();
    assertThat(stable.entry().clusterNames()).containsExactlyInAnyOrder("canary", "stable");
  }

  @Test
  void weightedClustersWhoseWeightsSumToZeroAreRejected() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - match: {prefix: /}
            route: {weighted_clusters: {clusters: [{name: a, weight: 0}]}}
        """)).containsExactly("route_config.virtual_hosts[0].routes[0].route.weighted_clusters.clusters:"
            + " sum of weights is 0 (expected: greater than 0 and at most 4294967295)");
  }

  @Test
  void clusterHeaderNamesTheClusterFromTheRequest() {
    RouteTable t = Yaml.routes("- {match: {prefix: /}, route: {cluster_header: X-Cluster}}");
    assertThat(forward(t, TestRequest.get("/").header("x-cluster", "blue")).cluster()).isEqualTo("blue");
    assertThat(forward(t, TestRequest.get("/")).cluster()).isEmpty();
  }

  @Test
  void hostRewrites() {
    RouteTable t = Yaml.routes("""
        - {match: {prefix: /lit}, route: {cluster: c, host_rewrite_literal: upstream.test}}
        - {match: {prefix: /auto}, route: {cluster: c, auto_host_rewrite: true}}
        - {match: {prefix: /hdr}, route: {cluster: c, host_rewrite_header: x-host}}
        """);
    assertThat(forward(t, TestRequest.get("/lit")).entry().rewrittenHost(TestRequest.get("/lit"))).isEqualTo("upstream.test");
    assertThat(forward(t, TestRequest.get("/auto")).entry().autoHostRewrite()).isTrue();
    TestRequest withHeader = TestRequest.get("/hdr").header("x-host", "h.test");
    assertThat(forward(t, withHeader).entry().rewrittenHost(withHeader)).isEqualTo("h.test");
    assertThat(forward(t, TestRequest.get("/hdr")).entry().rewrittenHost(TestRequest.get("/hdr"))).isNull();
  }

  @Test
  void timeoutsDefaultTo15SecondsAndZeroDisables() {
    RouteTable t = Yaml.routes("""
        - {match: {prefix: /default}, route: {cluster: c}}
        - {match: {prefix: /none}, route: {cluster: c, timeout: 0s, idle_timeout: 0s}}
        - {match: {prefix: /set}, route: {cluster: c, timeout: 2.5s, idle_timeout: 7s}}
        """);
    RouteEntry d = forward(t, TestRequest.get("/default")).entry();
    assertThat(d.timeoutMillis()).isEqualTo(15_000);
    assertThat(d.idleTimeoutMillis()).isEqualTo(-1);
    assertThat(forward(t, TestRequest.get("/none")).entry().timeoutMillis()).isZero();
    assertThat(forward(t, TestRequest.get("/none")).entry().idleTimeoutMillis()).isZero();
    assertThat(forward(t, TestRequest.get("/set")).entry().timeoutMillis()).isEqualTo(2_500);
    assertThat(forward(t, TestRequest.get("/set")).entry().idleTimeoutMillis()).isEqualTo(7_000);
  }

  // RedirectAction: scheme/host/port/path, query handling, response codes
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
    "path_redirect keeps the query | {path_redirect: /new} | http | a.test | /old?bar=1 | 301 | http://a.test/new?bar=1",
    "path_redirect with its own query wins | {path_redirect: '/new?x=2', strip_query: true} | http | a.test | /old?bar=1 | 301 | http://a.test/new?x=2",
    "strip_query drops the request query | {path_redirect: /new, strip_query: true} | http | a.test | /old?bar=1 | 301 | http://a.test/new",
    "https_redirect keeps the path | {https_redirect: true} | http | a.test | /p?q | 301 | https://a.test/p?q",
    "https_redirect drops the default http port | {https_redirect: true} | http | a.test:80 | /p | 301 | https://a.test/p",
    "https_redirect keeps a non-default port | {https_redirect: true} | http | a.test:8080 | /p | 301 | https://a.test:8080/p",
    "same scheme keeps :80 | {host_redirect: b.test} | http | a.test:80 | /p | 301 | http://b.test/p",
    "port_redirect replaces the port | {port_redirect: 8443} | http | a.test:8080 | /p | 301 | http://a.test:8443/p",
    "scheme_redirect | {scheme_redirect: HTTPS, response_code: FOUND} | http | a.test | /p | 302 | https://a.test/p",
    "prefix_rewrite rewrites the matched prefix | {prefix_rewrite: /v2/, response_code: TEMPORARY_REDIRECT} | http | a.test | /v1/x?y | 307 | http://a.test/v2/x?y",
    "regex_rewrite | {regex_rewrite: {pattern: {regex: '^/v1/(.*)$'}, substitution: '/v3/\\1'}, response_code: PERMANENT_REDIRECT} | http | a.test | /v1/x?y | 308 | http://a.test/v3/x?y",
    "see other | {host_redirect: b.test, response_code: SEE_OTHER} | https | a.test | /p | 303 | https://b.test/p",
  })
  void redirectLocation(String name, String redirect, String scheme, String host, String path, int status, String location) {
    RouteTable t = Yaml.routes("- match: {prefix: /v1/}\n  redirect: " + redirect + "\n- match: {prefix: /}\n  redirect: " + redirect);
    RouteResult r = t.route(TestRequest.get(host, path).withScheme(scheme));
    assertThat(r).isEqualTo(new RouteResult.Redirect(status, location, HeaderMutations.NONE));
  }

  @Test
  void requireTlsAllRedirectsPlainRequestsToHttps() {
    RouteTable t = Yaml.table("""
        virtual_hosts:
        - {name: secure, domains: ['*'], require_tls: ALL, routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(t.route(TestRequest.get("a.test:8080", "/x?y"))).isEqualTo(
        new RouteResult.Redirect(301, "https://a.test:8080/x?y", HeaderMutations.NONE));
    assertThat(t.route(TestRequest.get("a.test", "/x").withScheme("https"))).isInstanceOf(RouteResult.Forward.class);
  }

  @Test
  void requireTlsExternalOnlyLetsInternalPlainRequestsThrough() {
    RouteTable t = Yaml.table("""
        virtual_hosts:
        - {name: v, domains: ['*'], require_tls: EXTERNAL_ONLY, routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(t.route(TestRequest.get("a.test", "/x"))).isEqualTo(
        new RouteResult.Redirect(301, "https://a.test/x", HeaderMutations.NONE));
    assertThat(t.route(TestRequest.get("a.test", "/x").header("x-envoy-internal", "true")))
        .isInstanceOf(RouteResult.Forward.class);
  }

  @Test
  void directResponseCarriesStatusAndBody() {
    RouteTable t = Yaml.routes("""
        - {match: {path: /health}, direct_response: {status: 200, body: {inline_string: ok}}}
        - {match: {path: /bytes}, direct_response: {status: 503, body: {inline_bytes: AAE=}}}
        - {match: {path: /made}, direct_response: {status: 201}}
        """);
    RouteResult.DirectResponse ok = (RouteResult.DirectResponse) t.route(TestRequest.get("/health"));
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().toString(StandardCharsets.UTF_8)).isEqualTo("ok");
    assertThat(ok.location()).isNull();
    RouteResult.DirectResponse bytes = (RouteResult.DirectResponse) t.route(TestRequest.get("/bytes"));
    assertThat(bytes.body().toByteArray()).containsExactly(0, 1);
    // Envoy adds the request URL as Location to 201 and 3xx direct responses
    assertThat(((RouteResult.DirectResponse) t.route(TestRequest.get("a.test", "/made"))).location())
        .isEqualTo("http://a.test/made");
  }

  @Test
  void directResponseBodiesAreLimitedByMaxDirectResponseBodySize() {
    assertThat(Yaml.problems("""
        max_direct_response_body_size_bytes: 3
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - {match: {prefix: /}, direct_response: {status: 200, body: {inline_string: toolong}}}
        """)).containsExactly("route_config.virtual_hosts[0].routes[0].direct_response.body:"
            + " body is 7 bytes (expected: at most 3, max_direct_response_body_size_bytes)");
  }

  @Test
  void unsupportedActionFieldsAreErrorsNamingTheirPath() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - {match: {prefix: /}, route: {cluster: c, max_grpc_timeout: 1s}, decorator: {operation: op}}
        """)).containsExactlyInAnyOrder(
            "route_config.virtual_hosts[0].routes[0].decorator: field is not supported by weft",
            "route_config.virtual_hosts[0].routes[0].route.max_grpc_timeout: field is not supported by weft");
  }
}
