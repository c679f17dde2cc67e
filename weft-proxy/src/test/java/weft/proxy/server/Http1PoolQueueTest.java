package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 upstream pool at max_connections: a request that finds every connection busy waits
 * in the pending queue (bounded by max_pending_requests) and is sent on the first connection to
 * free up, as Envoy's connection pool (circuit_breaking docs: max_connections, max_pending_requests).
 */
@Timeout(30)
class Http1PoolQueueTest {
  @Test
  void aRequestBeyondMaxConnectionsWaitsForTheBusyConnectionInsteadOfFailing() throws Exception {
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch releaseFirst = new CountDownLatch(1);
    try (TestBackend main = new TestBackend("main");
        ProxyFixture p = new ProxyFixture("""
                          - match: {prefix: "/"}
                            route: {cluster: main}
            """, "", "", Map.of("main", main.port()),
            "circuit_breakers: {thresholds: [{max_connections: 1}]}")) {
      main.handler = req -> {
        if (req.uri().equals("/1")) {
          firstArrived.countDown();
          try {
            // holds the only upstream connection until the second request is queued
            releaseFirst.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return TestBackend.text(200, "main " + req.uri());
      };
      CompletableFuture<Integer> first = CompletableFuture.supplyAsync(() -> status(p, "/1"));
      assertThat(firstArrived.await(5, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Integer> second = CompletableFuture.supplyAsync(() -> status(p, "/2"));
      await().atMost(Duration.ofSeconds(5))
          .until(() -> p.counter("cluster.main.upstream_cx_overflow") >= 1);
      releaseFirst.countDown();

      assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(200);
      assertThat(p.counter("cluster.main.upstream_cx_total")).isEqualTo(1);
      assertThat(p.counter("cluster.main.upstream_rq_pending_overflow")).isZero();
    }
  }

  private static int status(ProxyFixture p, String path) {
    try {
      return p.get(path).statusCode();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
