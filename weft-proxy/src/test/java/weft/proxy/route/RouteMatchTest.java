package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** RouteMatch semantics (route_components.proto RouteMatch), one row per documented rule. */
class RouteMatchTest {

  static Stream<Arguments> rows() {
    UnaryOperator<TestRequest> none = r -> r;
    return Stream.of(
        // RouteMatch.prefix: the path must begin with the prefix; the query is not part of the path
        row("prefix matches the beginning", "{prefix: /api}", "/api/v1", none, true),
        row("prefix matches without a slash boundary", "{prefix: /api}", "/apiary", none, true),
        row("prefix is case-sensitive by default", "{prefix: /api}", "/API/v1", none, false),
        row("case_sensitive false makes prefix case-insensitive",
            "{prefix: /api, case_sensitive: false}", "/API/v1", none, true),
        row("the query is not part of the prefix match", "{prefix: '/a?x'}", "/a?x=1", none, false),
        // RouteMatch.path: the whole path, without the query
        row("path matches exactly", "{path: /a/b}", "/a/b", none, true),
        row("path ignores the query string", "{path: /a/b}", "/a/b?x=1", none, true),
        row("path does not match a longer path", "{path: /a/b}", "/a/b/c", none, false),
        row("path honours case_sensitive false", "{path: /a/b, case_sensitive: false}", "/A/B", none, true),
        // RouteMatch.safe_regex: the whole path without the query; case_sensitive does not apply
        row("safe_regex matches the whole path", "{safe_regex: {regex: '/p/[0-9]+'}}", "/p/123", none, true),
        row("safe_regex must match all of it", "{safe_regex: {regex: '/p/[0-9]+'}}", "/p/123/x", none, false),
        row("safe_regex ignores the query", "{safe_regex: {regex: '/p/[0-9]+'}}", "/p/1?q=a", none, true),
        // RouteMatch.path_separated_prefix: the prefix, then end of path or '/'
        row("path_separated_prefix matches the exact path", "{path_separated_prefix: /api}", "/api", none, true),
        row("path_separated_prefix matches a sub-path", "{path_separated_prefix: /api}", "/api/x", none, true),
        row("path_separated_prefix matches before a query", "{path_separated_prefix: /api}", "/api?x", none, true),
        row("path_separated_prefix needs a separator", "{path_separated_prefix: /api}", "/apiary", none, false),
        // RouteMatch.headers: all must match
        row("headers all match", "{prefix: /, headers: [{name: x-a, string_match: {exact: '1'}}, {name: x-b, present_match: true}]}",
            "/", r -> r.header("x-a", "1").header("x-b", ""), true),
        row("one header failing fails the route", "{prefix: /, headers: [{name: x-a, string_match: {exact: '1'}}, {name: x-b, present_match: true}]}",
            "/", r -> r.header("x-a", "1"), false),
        row(":method pseudo-header resolves from the request", "{prefix: /, headers: [{name: ':method', string_match: {exact: POST}}]}",
            "/", r -> r.withMethod("POST"), true),
        // RouteMatch.query_parameters
        row("query parameter value matches", "{prefix: /, query_parameters: [{name: debug, string_match: {exact: '1'}}]}",
            "/x?a=b&debug=1", none, true),
        row("query parameter value differs", "{prefix: /, query_parameters: [{name: debug, string_match: {exact: '1'}}]}",
            "/x?debug=2", none, false),
        row("query parameter is absent", "{prefix: /, query_parameters: [{name: debug, present_match: true}]}",
            "/x?a=b", none, false),
        // RouteMatch.grpc: content-type application/grpc or application/grpc+...
        row("grpc matches application/grpc", "{prefix: /, grpc: {}}", "/svc/M", r -> r.header("content-type", "application/grpc"), true),
        row("grpc matches application/grpc+proto", "{prefix: /, grpc: {}}", "/svc/M", r -> r.header("content-type", "application/grpc+proto"), true),
        row("grpc-web is not grpc", "{prefix: /, grpc: {}}", "/svc/M", r -> r.header("content-type", "application/grpc-web"), false),
        row("no content-type is not grpc", "{prefix: /, grpc: {}}", "/svc/M", none, false));
  }

  private static Arguments row(String name, String match, String path, UnaryOperator<TestRequest> req, boolean matches) {
    return Arguments.of(name, match, path, req, matches);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void routeMatch(String name, String match, String path, UnaryOperator<TestRequest> req, boolean matches) {
    RouteTable t = Yaml.routes("- match: " + match + "\n  route: {cluster: hit}");
    RouteResult r = t.route(req.apply(TestRequest.get(path)));
    if (matches) {
      assertThat(r).isInstanceOfSatisfying(RouteResult.Forward.class, f -> assertThat(f.cluster()).isEqualTo("hit"));
    } else {
      assertThat(r).isEqualTo(RouteResult.NoRoute.INSTANCE);
    }
  }

  @Test
  void firstMatchingRouteWins() {
    RouteTable t = Yaml.routes("""
        - {match: {prefix: /a}, route: {cluster: first}}
        - {match: {prefix: /a/b}, route: {cluster: second}}
        - {match: {prefix: /}, route: {cluster: last}}
        """);
    assertThat(((RouteResult.Forward) t.route(TestRequest.get("/a/b"))).cluster()).isEqualTo("first");
    assertThat(((RouteResult.Forward) t.route(TestRequest.get("/z"))).cluster()).isEqualTo("last");
  }

  @Test
  void forwardingToANamedClusterReturnsTheSameResultEveryTime() {
    RouteTable t = Yaml.routes("- {match: {prefix: /}, route: {cluster: c}}");
    assertThat(t.route(TestRequest.get("/x"))).isSameAs(t.route(TestRequest.get("/y")));
  }

  @Test
  void unsupportedMatchFieldsAreErrorsNamingTheirPath() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - match: {prefix: /, runtime_fraction: {default_value: {numerator: 50}}}
            route: {cluster: c}
        """)).containsExactly(
            "route_config.virtual_hosts[0].routes[0].match.runtime_fraction: field is not supported by weft");
  }

  @Test
  void invalidRegexIsAnErrorNamingThePattern() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - name: vh
          domains: ['*']
          routes:
          - {match: {safe_regex: {regex: '/a(('}}, route: {cluster: c}}
        """)).singleElement().asString()
        .startsWith("route_config.virtual_hosts[0].routes[0].match.safe_regex.regex: invalid regex \"/a((\"");
  }
}
