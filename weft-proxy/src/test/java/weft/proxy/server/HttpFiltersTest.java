package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** RBAC and fault HTTP filters in front of the router (Envoy rbac_filter, fault_filter docs). */
@Timeout(30)
class HttpFiltersTest {
  private static final String ROUTES = """
      - match: {prefix: "/"}
        route: {cluster: b}
      """;
  private TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  @Test
  void rbacAllowsMatchingRequestsAndAnswers403ToTheRest() throws Exception {
    String rbac = """
        - name: envoy.filters.http.rbac
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
            rules:
              action: ALLOW
              policies:
                readers:
                  permissions: [{header: {name: ":method", string_match: {exact: GET}}}]
                  principals: [{any: true}]
        """;
    try (ProxyFixture p = new ProxyFixture(ROUTES, rbac, "", Map.of("b", backend.port()))) {
      String get = RawHttp.exchange(p.port(), "GET /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      String post = RawHttp.exchange(p.port(),
          "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
      assertThat(get).startsWith("HTTP/1.1 200");
      assertThat(post).startsWith("HTTP/1.1 403").endsWith("RBAC: access denied");
      assertThat(backend.requests()).hasSize(1);
      assertThat(p.counter("http.test.rbac.allowed")).isEqualTo(1);
      assertThat(p.counter("http.test.rbac.denied")).isEqualTo(1);
    }
  }

  @Test
  void faultHeadersAbortDelayAndAbortGrpc() throws Exception {
    String fault = """
        - name: envoy.filters.http.fault
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
            abort: {header_abort: {}, percentage: {numerator: 100}}
            delay: {header_delay: {}, percentage: {numerator: 100}}
        """;
    try (ProxyFixture p = new ProxyFixture(ROUTES, fault, "", Map.of("b", backend.port()))) {
      String abort = RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\n"
          + "x-envoy-fault-abort-request: 418\r\nConnection: close\r\n\r\n");
      assertThat(abort).startsWith("HTTP/1.1 418").endsWith("fault filter abort");
      long t0 = System.nanoTime();
      String delayed = RawHttp.exchange(p.port(), "GET /d HTTP/1.1\r\nHost: a\r\n"
          + "x-envoy-fault-delay-request: 300\r\nConnection: close\r\n\r\n");
      assertThat(delayed).startsWith("HTTP/1.1 200");
      assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(300_000_000L);
      String grpc = RawHttp.exchange(p.port(), "POST /svc/M HTTP/1.1\r\nHost: a\r\n"
          + "content-type: application/grpc\r\nx-envoy-fault-abort-grpc-request: 14\r\n"
          + "Content-Length: 0\r\nConnection: close\r\n\r\n");
      assertThat(grpc).startsWith("HTTP/1.1 200").contains("grpc-status: 14");
      assertThat(backend.requests()).hasSize(1);
      assertThat(p.counter("http.test.fault.aborts_injected")).isEqualTo(2);
      assertThat(p.counter("http.test.fault.delays_injected")).isEqualTo(1);
    }
  }

  @Test
  void faultResponseRateLimitPacesTheBody() throws Exception {
    backend.handler = req -> TestBackend.text(200, "x".repeat(512));
    String fault = """
        - name: envoy.filters.http.fault
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.filters.http.fault.v3.HTTPFault
            response_rate_limit: {header_limit: {}, percentage: {numerator: 100}}
        """;
    try (ProxyFixture p = new ProxyFixture(ROUTES, fault, "", Map.of("b", backend.port()))) {
      long t0 = System.nanoTime();
      String r = RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\n"
          + "x-envoy-fault-throughput-response: 1\r\nConnection: close\r\n\r\n");
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r).startsWith("HTTP/1.1 200").endsWith("x".repeat(512));
      // 1 KiB/s in 50 ms ticks of 51 bytes: 512 bytes take about half a second
      assertThat(ms).isGreaterThanOrEqualTo(400);
    }
  }
}
