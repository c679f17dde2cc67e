package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Virtual host selection, per route_components.proto VirtualHost.domains: exact, then suffix
 * wildcards, then prefix wildcards, then '*'; longest wildcard first; case-insensitive.
 */
class VirtualHostSelectionTest {
  private static final RouteTable TABLE = Yaml.table("""
      virtual_hosts:
      - {name: exact, domains: [www.example.com, 'api.example.com:8080'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: suffix-short, domains: ['*.example.com'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: suffix-long, domains: ['*.foo.example.com'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: suffix-dash, domains: ['*-bar.example.org'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: prefix, domains: ['foo.*', 'foo.example.*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      - {name: default, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
      """);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "www.example.com, exact",
    "WWW.Example.COM, exact",                 // domains are case-insensitive
    "api.example.com:8080, exact",            // a domain with a port matches that host:port exactly
    "api.example.com, suffix-short",          // ... and not the host without the port
    "www.example.com:8080, default",          // a Host with a port does not match the domain without it
    "a.example.com, suffix-short",
    "a.foo.example.com, suffix-long",         // the longest wildcard wins
    "x-bar.example.org, suffix-dash",         // *-suffix wildcards
    "-bar.example.org, default",              // a wildcard must match at least one character
    "foo.example.net, prefix",                // prefix wildcards come after suffix wildcards
    "foo.example.com, suffix-short",          // a suffix wildcard beats a longer prefix wildcard
    "unknown.test, default",
  })
  void domainRules(String host, String expected) {
    assertThat(TABLE.virtualHostName(host)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "example.com:8080, port-agnostic",
    "example.com, port-agnostic",
    "'[::1]:80', v6",
  })
  void ignorePortInHostMatchingStripsThePort(String host, String expected) {
    RouteTable t = Yaml.table("""
        ignore_port_in_host_matching: true
        virtual_hosts:
        - {name: port-agnostic, domains: [example.com], routes: [{match: {prefix: /}, route: {cluster: c}}]}
        - {name: v6, domains: ['[::1]'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(t.virtualHostName(host)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void noMatchingVirtualHostIsNoRoute() {
    RouteTable t = Yaml.table("""
        virtual_hosts:
        - {name: only, domains: [a.test], routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(t.route(TestRequest.get("b.test", "/"))).isEqualTo(RouteResult.NoRoute.INSTANCE);
  }

  @org.junit.jupiter.api.Test
  void aRequestWithoutHostOnlyReachesALoneWildcardVirtualHost() {
    // Envoy's findVirtualHost: no Host header -> no virtual host, unless '*' is the only one
    assertThat(TABLE.virtualHostName(null)).isNull();
    assertThat(TABLE.virtualHostName("")).isNull();
    RouteTable onlyDefault = Yaml.table("""
        virtual_hosts:
        - {name: default, domains: ['*'], routes: [{match: {prefix: /}, route: {cluster: c}}]}
        """);
    assertThat(onlyDefault.virtualHostName("")).isEqualTo("default");
  }

  @org.junit.jupiter.api.Test
  void duplicateDomainsAcrossVirtualHostsAreRejected() {
    assertThat(Yaml.problems("""
        virtual_hosts:
        - {name: a, domains: [x.test], routes: []}
        - {name: b, domains: [X.test], routes: []}
        """)).containsExactly("route_config.virtual_hosts[1].domains[0]: domain 'X.test' is already used"
            + " by virtual host 'a' (domains must be unique across the route configuration)");
  }
}
