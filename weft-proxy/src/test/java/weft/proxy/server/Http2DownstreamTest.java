package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The downstream HTTP/2 codec (one handler per connection, streams dispatched by id): many
 * interleaved streams, flow control tied to the upstream's progress, client resets.
 */
@Timeout(60)
class Http2DownstreamTest {
  private static final String ROUTES = """
      - match: {prefix: "/"}
        route: {cluster: b}
      """;

  @Test
  void interleavedDataOfManyConcurrentStreamsReachesEachStreamsUpstreamRequest() throws Exception {
    try (TestBackend b = new TestBackend("b")) {
      b.handler = req -> TestBackend.text(200,
          req.uri() + ":" + req.content().toString(StandardCharsets.UTF_8));
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", b.port()));
          H2FrameClient c = new H2FrameClient(p.port())) {
        int streams = 40;
        List<H2FrameClient.Stream> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
          all.add(c.open("POST", "/s" + i, false));
        }
        // round-robin: every stream's body arrives in pieces between the other streams' pieces
        for (int round = 0; round < 4; round++) {
          for (int i = 0; i < streams; i++) {
            c.data(all.get(i), "r" + round + "s" + i + ";", round == 3);
          }
        }
        for (int i = 0; i < streams; i++) {
          H2FrameClient.Stream s = all.get(i).done.get(20, TimeUnit.SECONDS);
          assertThat(s.status()).isEqualTo(200);
          assertThat(s.bodyText()).isEqualTo(
              "/s" + i + ":r0s" + i + ";r1s" + i + ";r2s" + i + ";r3s" + i + ";");
        }
        assertThat(p.counter("http.test.downstream_rq_http2_total")).isEqualTo(streams);
        assertThat(p.counter("http.test.downstream_cx_http2_total")).isEqualTo(1);
      }
    }
  }

  @Test
  void aSlowUpstreamHoldsTheClientAtTheWindowInsteadOfBufferingTheBody() throws Exception {
    int chunk = 16 * 1024;
    int chunks = 1024; // 16 MiB, far more than the windows and the kernel's socket buffers
    long body = (long) chunk * chunks;
    CompletableFuture<Void> startReading = new CompletableFuture<>();
    try (ServerSocket upstream = new ServerSocket()) {
      // a fixed small receive buffer: the kernel does not soak up the body on the upstream side
      upstream.setReceiveBufferSize(16 * 1024);
      upstream.bind(new InetSocketAddress("127.0.0.1", 0));
      CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
        try (Socket s = upstream.accept()) {
          startReading.get(30, TimeUnit.SECONDS);
          InputStream in = s.getInputStream();
          long total = 0;
          byte[] buf = new byte[64 * 1024];
          byte[] tail = new byte[5];
          int n;
          // chunked framing ends with "0\r\n\r\n"
          while ((n = in.read(buf)) > 0) {
            total += n;
            for (int i = 0; i < n; i++) {
              System.arraycopy(tail, 1, tail, 0, 4);
              tail[4] = buf[i];
            }
            if (new String(tail, StandardCharsets.US_ASCII).equals("0\r\n\r\n")) {
              break;
            }
          }
          OutputStream out = s.getOutputStream();
          out.write("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
          out.flush();
          return total;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, r -> Thread.ofPlatform().daemon().start(r));
      int port = upstream.getLocalPort();
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", port));
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream s = c.open("POST", "/upload", false);
        byte[] piece = new byte[chunk];
        for (int i = 0; i < chunks; i++) {
          c.data(s, Unpooled.wrappedBuffer(piece), i == chunks - 1);
        }
        long[] last = {-1};
        Awaitility.await().pollInterval(Duration.ofMillis(100)).during(Duration.ofMillis(600))
            .atMost(Duration.ofSeconds(20)).until(() -> {
              long now = s.sent.get();
              boolean stalled = now == last[0];
              last[0] = now;
              return stalled;
            });
        // what left the client: the windows plus what the upstream socket took, not the body
        assertThat(s.sent.get()).isGreaterThan(0).isLessThan(body / 2);
        startReading.complete(null);
        H2FrameClient.Stream done = s.done.get(30, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(200);
        assertThat(s.sent.get()).isEqualTo(body);
        assertThat(received.get(10, TimeUnit.SECONDS)).isGreaterThan(body);
      }
    }
  }

  @Test
  void aBodyLargerThanTheStreamWindowIsReplayedOnRetryWithoutStallingTheClient() throws Exception {
    int size = 600 * 1024; // beyond the 256 KiB stream window, within the 1 MiB retry buffer
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    try (TestBackend b = new TestBackend("b")) {
      b.handler = req -> calls.incrementAndGet() == 1 ? TestBackend.text(503, "again")
          : TestBackend.text(200, Integer.toString(req.content().readableBytes()));
      try (ProxyFixture p = new ProxyFixture("""
              - match: {prefix: "/"}
                route: {cluster: b, retry_policy: {retry_on: "5xx", num_retries: 1}}
              """, "", "", Map.of("b", b.port()));
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream s = c.open("POST", "/big", false);
        byte[] piece = new byte[8 * 1024];
        for (int i = 0; i < size / piece.length; i++) {
          c.data(s, Unpooled.wrappedBuffer(piece), i == size / piece.length - 1);
        }
        H2FrameClient.Stream done = s.done.get(20, TimeUnit.SECONDS);
        assertThat(done.status()).isEqualTo(200);
        assertThat(done.bodyText()).isEqualTo(Integer.toString(size));
        assertThat(calls.get()).isEqualTo(2);
      }
    }
  }

  @Test
  void aClientResetMidBodyCancelsTheUpstreamRequest() throws Exception {
    CompletableFuture<Void> bodyStarted = new CompletableFuture<>();
    try (ServerSocket upstream = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      CompletableFuture<Boolean> upstreamClosed = CompletableFuture.supplyAsync(() -> {
        try (Socket s = upstream.accept()) {
          InputStream in = s.getInputStream();
          ByteArrayOutputStream seen = new ByteArrayOutputStream();
          byte[] buf = new byte[4096];
          int n;
          while ((n = in.read(buf)) > 0) {
            seen.write(buf, 0, n);
            if (seen.toString(StandardCharsets.US_ASCII).contains("first-piece")) {
              bodyStarted.complete(null);
            }
          }
          return n < 0;
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }, r -> Thread.ofPlatform().daemon().start(r));
      try (ProxyFixture p = new ProxyFixture(ROUTES, "", "", Map.of("b", upstream.getLocalPort()));
          H2FrameClient c = new H2FrameClient(p.port())) {
        H2FrameClient.Stream s = c.open("POST", "/upload", false);
        c.data(s, "first-piece", false);
        bodyStarted.get(10, TimeUnit.SECONDS);
        c.reset(s);
        // an HTTP/1.1 upstream request cannot be cancelled but by closing its connection
        assertThat(upstreamClosed.get(10, TimeUnit.SECONDS)).isTrue();
        Awaitility.await().atMost(Duration.ofSeconds(5))
            .until(() -> p.counter("http.test.downstream_rq_rx_reset") == 1);
      }
    }
  }
}
