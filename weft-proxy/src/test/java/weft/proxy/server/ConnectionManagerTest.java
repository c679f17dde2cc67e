package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** HTTP/1.1 connection manager behaviour over raw sockets (Envoy HCM docs, RFC 9112). */
@Timeout(30)
class ConnectionManagerTest {
  private TestBackend backend;

  @BeforeEach
  void start() throws Exception {
    backend = new TestBackend("b");
  }

  @AfterEach
  void stop() {
    backend.close();
  }

  private ProxyFixture proxy(String hcmExtra) throws Exception {
    return new ProxyFixture("""
        - match: {prefix: "/"}
          route: {cluster: b}
        """, "", hcmExtra, Map.of("b", backend.port()));
  }

  @Test
  void answersPipelinedRequestsInOrder() throws Exception {
    try (ProxyFixture p = proxy("")) {
      String r = RawHttp.exchange(p.port(), "GET /first HTTP/1.1\r\nHost: a\r\n\r\n"
          + "GET /second HTTP/1.1\r\nHost: a\r\n\r\n"
          + "GET /third HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(r.indexOf("b GET /first")).isPositive();
      assertThat(r.indexOf("b GET /first")).isLessThan(r.indexOf("b GET /second"));
      assertThat(r.indexOf("b GET /second")).isLessThan(r.indexOf("b GET /third"));
      assertThat(r).contains("connection: close");
    }
  }

  @Test
  void answers100ContinueItselfAndDoesNotForwardExpect() throws Exception {
    try (ProxyFixture p = proxy("");
        Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("POST /up HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
          + "Expect: 100-continue\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      byte[] buf = new byte[25];
      int n = in.read(buf);
      assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 100 Continue");
      s.getOutputStream().write("hello".getBytes(StandardCharsets.US_ASCII));
      String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      assertThat(rest).contains("200 OK");
    }
    assertThat(backend.requests().get(0).body()).isEqualTo("hello");
    assertThat(backend.requests().get(0).headers()).doesNotContainKey("expect");
  }

  @Test
  void refusesContentLengthWithChunkedAndCloses() throws Exception {
    try (ProxyFixture p = proxy("")) {
      String r = RawHttp.exchange(p.port(), "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n"
          + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 400").contains("connection: close");
      assertThat(backend.requests()).isEmpty();
    }
  }

  @Test
  void appendsThePeerToXffAndSetsForwardedProtoWithUseRemoteAddress() throws Exception {
    try (ProxyFixture p = proxy("use_remote_address: true")) {
      RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\nX-Forwarded-For: 10.0.0.1\r\n"
          + "X-Forwarded-Proto: https\r\nConnection: close\r\n\r\n");
    }
    Map<String, String> h = backend.requests().get(0).headers();
    assertThat(h).containsEntry("x-forwarded-for", "10.0.0.1,127.0.0.1")
        .containsEntry("x-forwarded-proto", "http");
  }

  @Test
  void removesHopByHopHeadersNamedByConnection() throws Exception {
    try (ProxyFixture p = proxy("")) {
      RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close, x-secret\r\n"
          + "X-Secret: 1\r\nKeep-Alive: timeout=5\r\nX-Kept: yes\r\n\r\n");
    }
    Map<String, String> h = backend.requests().get(0).headers();
    assertThat(h).doesNotContainKeys("x-secret", "keep-alive").containsEntry("x-kept", "yes");
  }

  @Test
  void closesAConnectionWhoseHeadersDoNotArriveInTime() throws Exception {
    try (ProxyFixture p = proxy("request_headers_timeout: 0.2s");
        Socket s = new Socket(InetAddress.getLoopbackAddress(), p.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nHost:".getBytes(StandardCharsets.US_ASCII));
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(p.counter("http.test.downstream_rq_header_timeout")).isEqualTo(1);
    }
  }

  @Test
  void answers408WhenTheStreamIsIdleTooLong() throws Exception {
    backend.handler = req -> TestBackend.HANG;
    try (ProxyFixture p = proxy("stream_idle_timeout: 0.2s")) {
      String r = RawHttp.exchange(p.port(), "GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
      assertThat(r).startsWith("HTTP/1.1 408").endsWith("stream timeout");
    }
  }

  @Test
  void normalizesDotSegmentsAndMergesSlashesBeforeRouting() throws Exception {
    try (ProxyFixture p = proxy("""
        normalize_path: true
        merge_slashes: true
        """)) {
      RawHttp.exchange(p.port(), "GET /a/./b/../c//d%7e?x=/../y HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
    }
    assertThat(backend.requests().get(0).uri()).isEqualTo("/a/c/d~?x=/../y");
  }
}
