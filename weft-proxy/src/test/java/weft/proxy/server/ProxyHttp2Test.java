package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;

/** HTTP/2 on both sides: h2c prior knowledge downstream (codec AUTO), h2 upstream with trailers. */
@Timeout(30)
class ProxyHttp2Test {
  private H2Peers.Backend h2;
  private TestBackend h1;
  private ProxyServer proxy;

  @BeforeEach
  void start() throws Exception {
    h2 = new H2Peers.Backend();
    h1 = new TestBackend("h1");
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
                  stat_prefix: h2test
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: "/grpc"}
                        route: {cluster: grpc}
                      - match: {prefix: "/"}
                        route: {cluster: plain}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: grpc
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: grpc
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          - name: plain
            connect_timeout: 1s
            load_assignment:
              cluster_name: plain
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(h2.port(), h1.port());
    proxy = ProxyServer.start(BootstrapLoader.parse(yaml, false, "h2.yaml"), Path.of("."), 1,
        new StatsStore());
  }

  @AfterEach
  void stop() {
    proxy.close();
    h2.close();
    h1.close();
  }

  private static FullHttpRequest post(String path, String body) {
    FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, path,
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
    r.headers().set("host", "example.com");
    r.headers().set("content-type", "application/grpc");
    return r;
  }

  @Test
  void relaysH2RequestsToAnH2UpstreamWithTrailersOverOneConnection() throws Exception {
    try (H2Peers.Client c = new H2Peers.Client(proxy.listenerAddresses().get(0).getPort())) {
      List<CompletableFuture<FullHttpResponse>> all = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        all.add(c.send(post("/grpc/Svc/M" + i, "msg" + i)));
      }
      for (int i = 0; i < 5; i++) {
        FullHttpResponse r = all.get(i).get(10, TimeUnit.SECONDS);
        try {
          assertThat(r.status().code()).isEqualTo(200);
          assertThat(r.content().toString(StandardCharsets.UTF_8))
              .isEqualTo("h2 POST /grpc/Svc/M" + i + " msg" + i);
          assertThat(r.trailingHeaders().get("grpc-status")).isEqualTo("0");
        } finally {
          r.release();
        }
      }
    }
    assertThat(proxy.stats().counter("cluster.grpc.upstream_cx_total").value()).isEqualTo(1);
    assertThat(proxy.stats().counter("http.h2test.downstream_rq_http2_total").value()).isEqualTo(5);
  }

  @Test
  void translatesH2DownstreamToAnHttp1Upstream() throws Exception {
    try (H2Peers.Client c = new H2Peers.Client(proxy.listenerAddresses().get(0).getPort())) {
      FullHttpResponse r = c.send(post("/plain/x", "body!")).get(10, TimeUnit.SECONDS);
      try {
        assertThat(r.status().code()).isEqualTo(200);
        assertThat(r.content().toString(StandardCharsets.UTF_8)).isEqualTo("h1 POST /plain/x");
      } finally {
        r.release();
      }
    }
    TestBackend.Seen seen = h1.requests().get(0);
    assertThat(seen.body()).isEqualTo("body!");
    assertThat(seen.headers()).containsEntry("host", "example.com");
  }
}
