package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Custom request/response headers (http_conn_man/headers "Custom request/response headers"):
 * levels evaluated route, virtual host, route configuration (the last write wins) unless
 * most_specific_header_mutations_wins; removal before addition; append_action; keep_empty_value.
 */
class HeaderMutationsTest {
  private static final String LEVELS = """
      %s
      request_headers_to_add: [{header: {key: x-level, value: config}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
      response_headers_to_add: [{header: {key: x-level, value: config}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
      virtual_hosts:
      - name: vh
        domains: ['*']
        request_headers_to_add: [{header: {key: x-level, value: vhost}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
        routes:
        - match: {prefix: /}
          route: {cluster: c}
          request_headers_to_add: [{header: {key: x-level, value: route}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
          response_headers_to_add: [{header: {key: x-level, value: route}, append_action: OVERWRITE_IF_EXISTS_OR_ADD}]
      """;

  private static HttpHeaders applyRequest(RouteTable t, TestRequest r) {
    HttpHeaders h = r.headers();
    ((RouteResult.Forward) t.route(r)).entry().requestHeaderMutations().apply(h, r);
    return h;
  }

  @Test
  void byDefaultTheRouteConfigurationLevelIsAppliedLastAndWins() {
    RouteTable t = Yaml.table(LEVELS.formatted(""));
    TestRequest r = TestRequest.get("/");
    assertThat(applyRequest(t, r).getAll("x-level")).containsExactly("config");
    HttpHeaders resp = new DefaultHttpHeaders();
    ((RouteResult.Forward) t.route(r)).entry().responseHeaderMutations().apply(resp, r);
    assertThat(resp.getAll("x-level")).containsExactly("config");
  }

  @Test
  void mostSpecificHeaderMutationsWinsMakesTheRouteLevelWin() {
    RouteTable t = Yaml.table(LEVELS.formatted("most_specific_header_mutations_wins: true"));
    assertThat(applyRequest(t, TestRequest.get("/")).getAll("x-level")).containsExactly("route");
  }

  // HeaderValueOption.append_action
  @ParameterizedTest(name = "{0} with existing={1}")
  @CsvSource(delimiter = '|', value = {
    "APPEND_IF_EXISTS_OR_ADD | old | old,new",
    "APPEND_IF_EXISTS_OR_ADD |     | new",
    "ADD_IF_ABSENT | old | old",
    "ADD_IF_ABSENT |     | new",
    "OVERWRITE_IF_EXISTS_OR_ADD | old | new",
    "OVERWRITE_IF_EXISTS_OR_ADD |     | new",
    "OVERWRITE_IF_EXISTS | old | new",
    "OVERWRITE_IF_EXISTS |     | ''",
  })
  void appendActions(String action, String existing, String expected) {
    RouteTable t = Yaml.routes("- match: {prefix: /}\n  route: {cluster: c}\n"
        + "  request_headers_to_add: [{header: {key: x-h, value: new}, append_action: " + action + "}]");
    TestRequest r = TestRequest.get("/");
    if (existing != null) {
      r.header("x-h", existing);
    }
    assertThat(String.join(",", applyRequest(t, r).getAll("x-h"))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "append: {0}")
  @CsvSource({"true, 'old,new'", "false, new"})
  void legacyAppendMapsToAppendOrOverwrite(boolean append, String expected) {
    RouteTable t = Yaml.routes("- match: {prefix: /}\n  route: {cluster: c}\n"
        + "  request_headers_to_add: [{header: {key: x-h, value: new}, append: " + append + "}]");
    assertThat(String.join(",", applyRequest(t, TestRequest.get("/").header("x-h", "old")).getAll("x-h")))
        .isEqualTo(expected);
  }

  @Test
  void removalHappensBeforeAdditionAtTheSameLevel() {
    RouteTable t = Yaml.routes("""
        - match: {prefix: /}
          route: {cluster: c}
          request_headers_to_remove: [x-h, x-gone]
          request_headers_to_add: [{header: {key: x-h, value: new}}]
        """);
    HttpHeaders h = applyRequest(t, TestRequest.get("/").header("x-h", "old").header("x-gone", "1"));
    assertThat(h.getAll("x-h")).containsExactly("new");
    assertThat(h.contains("x-gone")).isFalse();
  }

  @Test
  void emptyValuesAreDroppedUnlessKeepEmptyValue() {
    RouteTable t = Yaml.routes("""
        - match: {prefix: /}
          route: {cluster: c}
          request_headers_to_add:
          - {header: {key: x-dropped, value: ''}}
          - {header: {key: x-kept, value: ''}, keep_empty_value: true}
        """);
    HttpHeaders h = applyRequest(t, TestRequest.get("/"));
    assertThat(h.contains("x-dropped")).isFalse();
    assertThat(h.get("x-kept")).isEmpty();
  }

  @Test
  void variablesAreSubstitutedFromTheRequest() {
    RouteTable t = Yaml.routes("""
        - match: {prefix: /}
          route: {cluster: c}
          request_headers_to_add:
          - {header: {key: x-client, value: '%DOWNSTREAM_REMOTE_ADDRESS%'}}
          - {header: {key: x-ip, value: 'ip=%DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT% 100%%'}}
          - {header: {key: x-copy, value: '%REQ(X-Src)%'}}
        """);
    HttpHeaders h = applyRequest(t, TestRequest.get("/").header("x-src", "v"));
    assertThat(h.get("x-client")).isEqualTo("10.0.0.1:5555");
    assertThat(h.get("x-ip")).isEqualTo("ip=10.0.0.1 100%");
    assertThat(h.get("x-copy")).isEqualTo("v");
  }

  @Test
  void unknownVariablesAndPseudoHeadersAreRejected() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          request_headers_to_add: [{header: {key: x-a, value: '%UPSTREAM_METADATA(["a"])%'}}]
          request_headers_to_remove: [':path', host]
          routes: []
        """)).containsExactly(
            "route_config.virtual_hosts[0].request_headers_to_remove[0]: ':path' may not be removed"
                + " (expected: a header that is not a pseudo-header or host)",
            "route_config.virtual_hosts[0].request_headers_to_remove[1]: 'host' may not be removed"
                + " (expected: a header that is not a pseudo-header or host)",
            "route_config.virtual_hosts[0].request_headers_to_add[0].header.value:"
                + " header value variable %UPSTREAM_METADATA([\"a\"])% is not supported");
  }
}
