package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Graceful shutdown: stop accepting, finish in-flight HTTP/1.1 with connection: close. */
@Timeout(30)
class DrainTest {
  // not the common pool: on 2 cores it has one thread, which another test's blocked task can hold
  private static final java.util.concurrent.Executor OWN_THREAD =
      r -> Thread.ofPlatform().daemon().name("drain").start(r);

  @Test
  void finishesInFlightRequestsWithConnectionCloseAndStopsAccepting() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CompletableFuture<Void> release = new CompletableFuture<>();
    try (TestBackend b = new TestBackend("b"); Releaser held = new Releaser(release)) {
      b.handler = req -> {
        arrived.countDown();
        release.join();
        return TestBackend.text(200, "late");
      };
      ProxyFixture p = new ProxyFixture("""
          - match: {prefix: "/"}
            route: {cluster: b}
          """, "", "", Map.of("b", b.port()));
      int port = p.port();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
        s.setSoTimeout(10_000);
        s.getOutputStream().write("GET /slow HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(
            () -> p.proxy.drainAndClose(Duration.ofSeconds(10)), OWN_THREAD);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> {
          try (Socket probe = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return false;
          } catch (java.io.IOException refused) {
            return true;
          }
        });
        release.complete(null);
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(response).startsWith("HTTP/1.1 200").contains("connection: close").endsWith("late");
        drained.get(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void sendsGoAwayToHttp2ClientsAndLetsTheirStreamsFinish() throws Exception {
    CountDownLatch arrived = new CountDownLatch(1);
    CompletableFuture<Void> release = new CompletableFuture<>();
    try (TestBackend b = new TestBackend("b"); Releaser held = new Releaser(release)) {
      b.handler = req -> {
        arrived.countDown();
        release.join();
        return TestBackend.text(200, "done");
      };
      ProxyFixture p = new ProxyFixture("""
          - match: {prefix: "/"}
            route: {cluster: b}
          """, "", "", Map.of("b", b.port()));
      try (H2Peers.Client c = new H2Peers.Client(p.port())) {
        var req = new io.netty.handler.codec.http.DefaultFullHttpRequest(
            io.netty.handler.codec.http.HttpVersion.HTTP_1_1, io.netty.handler.codec.http.HttpMethod.GET, "/h2");
        req.headers().set("host", "a");
        var response = c.send(req);
        assertThat(arrived.await(5, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Void> drained = CompletableFuture.runAsync(
            () -> p.proxy.drainAndClose(Duration.ofSeconds(10)), OWN_THREAD);
        assertThat(c.goAway.get(5, TimeUnit.SECONDS)).isZero();
        release.complete(null);
        var r = response.get(10, TimeUnit.SECONDS);
        try {
          assertThat(r.status().code()).isEqualTo(200);
          assertThat(r.content().toString(StandardCharsets.US_ASCII)).isEqualTo("done");
        } finally {
          r.release();
        }
        drained.get(10, TimeUnit.SECONDS);
      }
    }
  }

  /** Completes the held response on close, before the backend closes (resources close in reverse). */
  private record Releaser(CompletableFuture<Void> release) implements AutoCloseable {
    @Override
    public void close() {
      release.complete(null);
    }
  }
}
