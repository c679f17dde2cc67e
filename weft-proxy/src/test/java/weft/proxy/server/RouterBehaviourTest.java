package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The router over real sockets: retries, timeouts, resets, mirroring (Envoy router docs). */
@Timeout(30)
class RouterBehaviourTest {
  private TestBackend main;
  private TestBackend shadow;

  @BeforeEach
  void backends() throws Exception {
    main = new TestBackend("main");
    shadow = new TestBackend("shadow");
  }

  @AfterEach
  void close() {
    main.close();
    shadow.close();
  }

  private ProxyFixture proxy(String routes) throws Exception {
    return new ProxyFixture(routes, "", "", Map.of("main", main.port(), "shadow", shadow.port()));
  }

  @Test
  void retriesOn503UntilTheUpstreamAnswers() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    main.handler = req -> calls.incrementAndGet() < 3
        ? TestBackend.text(503, "busy") : TestBackend.text(200, "ok");
    try (ProxyFixture p = proxy("""
                      - match: {prefix: "/"}
                        route:
                          cluster: main
                          retry_policy: {retry_on: "5xx", num_retries: 3, retry_back_off: {base_interval: 0.001s}}
        """)) {
      var r = p.get("/x");
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("ok");
      assertThat(p.counter("cluster.main.upstream_rq_retry")).isEqualTo(2);
      assertThat(p.counter("cluster.main.upstream_rq_retry_success")).isEqualTo(1);
    }
  }

  @Test
  void forwardsTheLastFailureWhenRetriesRunOut() throws Exception {
    main.handler = req -> TestBackend.text(503, "busy");
    try (ProxyFixture p = proxy("""
                      - match: {prefix: "/"}
                        route:
                          cluster: main
                          retry_policy: {retry_on: "gateway-error", num_retries: 1, retry_back_off: {base_interval: 0.001s}}
        """)) {
      var r = p.get("/x");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("busy");
      assertThat(main.requests()).hasSize(2);
    }
  }

  @Test
  void answers502WhenTheUpstreamBreaksHttp() throws Exception {
    // Envoy: "502 UPE upstream_reset_before_response_started{protocol_error}" (router, reset reasons)
    try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      Thread.ofVirtual().start(() -> {
        try (java.net.Socket s = raw.accept()) {
          java.io.InputStream in = s.getInputStream();
          int last4 = 0;
          while ((last4 = (last4 << 8) | in.read()) != 0x0d0a0d0a) {
            // read the request head
          }
          s.getOutputStream().write("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\nxyz"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
          s.getOutputStream().flush();
          in.read(); // until the proxy closes
        } catch (java.io.IOException ignored) {
          // the proxy closed first
        }
      });
      try (ProxyFixture p = new ProxyFixture("""
                        - match: {prefix: "/"}
                          route: {cluster: main}
          """, "", "", Map.of("main", raw.getLocalPort(), "shadow", shadow.port()))) {
        var r = p.get("/x");
        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(r.body()).isEqualTo("upstream connect error or disconnect/reset before headers. reset reason: protocol error");
      }
    }
  }

  @Test
  void answers504WhenTheRouteTimeoutExpires() throws Exception {
    main.handler = req -> TestBackend.HANG;
    try (ProxyFixture p = proxy("""
                      - match: {prefix: "/"}
                        route: {cluster: main, timeout: 0.2s}
        """)) {
      var r = p.get("/slow");
      assertThat(r.statusCode()).isEqualTo(504);
      assertThat(r.body()).isEqualTo("upstream request timeout");
      assertThat(p.counter("cluster.main.upstream_rq_timeout")).isEqualTo(1);
    }
  }

  @Test
  void answers503WhenTheUpstreamResetsBeforeHeaders() throws Exception {
    main.handler = req -> null;
    try (ProxyFixture p = proxy("""
                      - match: {prefix: "/"}
                        route: {cluster: main}
        """)) {
      var r = p.get("/reset");
      assertThat(r.statusCode()).isEqualTo(503);
      assertThat(r.body()).isEqualTo("upstream connect error or disconnect/reset before headers. "
          + "reset reason: connection termination");
    }
  }

  @Test
  void mirrorsToTheShadowClusterWithAShadowHost() throws Exception {
    try (ProxyFixture p = proxy("""
                      - match: {prefix: "/"}
                        route:
                          cluster: main
                          request_mirror_policies: [{cluster: shadow}]
        """)) {
      String r = RawHttp.exchange(p.port(), "GET /m HTTP/1.1\r\nHost: svc.local\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 200 OK").endsWith("main GET /m");
      await().atMost(Duration.ofSeconds(5)).until(() -> !shadow.requests().isEmpty());
      assertThat(shadow.requests().get(0).headers()).containsEntry("host", "svc.local-shadow");
      assertThat(main.requests().get(0).headers()).containsEntry("host", "svc.local");
    }
  }

  @Test
  void answers503OverloadedWhenTheRequestCircuitBreakerIsFull() throws Exception {
    java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
    main.handler = req -> {
      first.countDown();
      return TestBackend.HANG;
    };
    try (ProxyFixture p = new ProxyFixture("""
                      - match: {prefix: "/"}
                        route: {cluster: main}
        """, "", "", Map.of("main", main.port()),
        "circuit_breakers: {thresholds: [{max_requests: 1}]}")) {
      var hanging = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          RawHttp.exchange(p.port(), "GET /1 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
        } catch (Exception e) {
          // closed when the proxy shuts down
        }
      });
      assertThat(first.await(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      String r = RawHttp.exchange(p.port(), "GET /2 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 503").contains("x-envoy-overloaded: true");
      assertThat(p.counter("cluster.main.upstream_rq_pending_overflow")).isEqualTo(1);
      hanging.cancel(true);
    }
  }

  @Test
  void opensANewUpstreamConnectionAfterMaxRequestsPerConnection() throws Exception {
    try (ProxyFixture p = new ProxyFixture("""
                      - match: {prefix: "/"}
                        route: {cluster: main}
        """, "", "", Map.of("main", main.port()),
        "typed_extension_protocol_options: {envoy.extensions.upstreams.http.v3.HttpProtocolOptions: "
            + "{'@type': type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions, "
            + "common_http_protocol_options: {max_requests_per_connection: 2}, "
            + "explicit_http_config: {http_protocol_options: {}}}}")) {
      for (int i = 0; i < 5; i++) {
        assertThat(p.get("/r" + i).statusCode()).isEqualTo(200);
      }
      assertThat(p.counter("cluster.main.upstream_cx_total")).isEqualTo(3);
    }
  }

  @Test
  void answersDirectResponsesAndRedirectsLocally() throws Exception {
    try (ProxyFixture p = proxy("""
                      - match: {path: "/direct"}
                        direct_response: {status: 200, body: {inline_string: "hi there"}}
                      - match: {path: "/old"}
                        redirect: {path_redirect: "/new"}
        """)) {
      var d = p.get("/direct");
      assertThat(d.statusCode()).isEqualTo(200);
      assertThat(d.body()).isEqualTo("hi there");
      String r = RawHttp.exchange(p.port(), "GET /old HTTP/1.1\r\nHost: a.example\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 301 Moved Permanently").contains("location: http://a.example/new");
      assertThat(main.requests()).isEmpty();
    }
  }
}
