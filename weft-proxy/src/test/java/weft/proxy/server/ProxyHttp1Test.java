package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;

/** The proxy end to end over real sockets: HTTP/1.1 downstream, HTTP/1.1 upstream, STATIC clusters. */
@Timeout(30)
class ProxyHttp1Test {
  private TestBackend one;
  private TestBackend two;
  private ProxyServer proxy;
  private HttpClient client;

  @BeforeEach
  void start() throws Exception {
    one = new TestBackend("one");
    two = new TestBackend("two");
    String yaml = """
        static_resources:
          listeners:
          - name: ingress
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress_http
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: "/one"}
                        route: {cluster: one}
                      - match: {prefix: "/two"}
                        route: {cluster: two, prefix_rewrite: "/rewritten"}
                      - match: {prefix: "/down"}
                        route: {cluster: down}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: one
            connect_timeout: 1s
            load_assignment:
              cluster_name: one
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          - name: two
            connect_timeout: 1s
            load_assignment:
              cluster_name: two
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          - name: down
            connect_timeout: 1s
            load_assignment:
              cluster_name: down
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(one.port(), two.port(), closedPort());
    proxy = ProxyServer.start(BootstrapLoader.parse(yaml, false, "test.yaml"), Path.of("."), 1,
        new StatsStore());
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2)).build();
  }

  @AfterEach
  void stop() {
    if (proxy != null) {
      proxy.close();
    }
    one.close();
    two.close();
  }

  private static int closedPort() throws Exception {
    try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    int port = proxy.listenerAddresses().get(0).getPort();
    return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void forwardsByPrefixToTheRoutesCluster() throws Exception {
    HttpResponse<String> r1 = get("/one/x?q=1");
    HttpResponse<String> r2 = get("/two/y");
    assertThat(r1.statusCode()).isEqualTo(200);
    assertThat(r1.body()).isEqualTo("one GET /one/x?q=1");
    assertThat(r2.body()).isEqualTo("two GET /rewritten/y");
    assertThat(r1.headers().firstValue("server")).hasValue("envoy");
    assertThat(r1.headers().firstValue("x-envoy-upstream-service-time")).isPresent();
    TestBackend.Seen seen = one.requests().get(0);
    assertThat(seen.headers()).containsKeys("x-request-id", "x-forwarded-proto");
    assertThat(two.requests().get(0).headers()).containsEntry("x-envoy-original-path", "/two/y");
  }

  @Test
  void answers404WithEmptyBodyWhenNoRouteMatches() throws Exception {
    HttpResponse<String> r = get("/nowhere");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).isEmpty();
    assertThat(proxy.stats().counter("http.ingress_http.downstream_rq_4xx").value()).isEqualTo(1);
  }

  @Test
  void answers503ConnectionFailureWhenTheHostRefuses() throws Exception {
    HttpResponse<String> r = get("/down");
    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.body()).startsWith(
        "upstream connect error or disconnect/reset before headers. reset reason: connection failure");
  }

  @Test
  void reusesTheUpstreamConnectionForKeepAliveRequests() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(get("/one/" + i).statusCode()).isEqualTo(200);
    }
    assertThat(proxy.stats().counter("cluster.one.upstream_cx_total").value()).isEqualTo(1);
    assertThat(proxy.stats().counter("http.ingress_http.downstream_rq_2xx").value()).isEqualTo(5);
  }

  @Test
  void forwardsARequestBody() throws Exception {
    int port = proxy.listenerAddresses().get(0).getPort();
    HttpResponse<String> r = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/one/post"))
            .POST(HttpRequest.BodyPublishers.ofString("hello body")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(one.requests().get(0).body()).isEqualTo("hello body");
  }
}
