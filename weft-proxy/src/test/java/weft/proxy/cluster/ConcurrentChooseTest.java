package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** choose() on several threads while the control loop keeps republishing host snapshots. */
class ConcurrentChooseTest {

  @Timeout(30)
  @ParameterizedTest(name = "{0}")
  @CsvSource({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
  void pickersStayConsistentWhileHealthFlips(String policy) throws Exception {
    String json =
        ClusterFixtures.staticCluster(
            "c", policy, "\"outlier_detection\":{\"max_ejection_percent\":100}", 1, 2, 3, 4, 5, 6);
    try (var b = build(json)) {
      UpstreamCluster c = b.cluster("c");
      Set<Host> members = Set.copyOf(c.hosts());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Set<Integer> seen = ConcurrentHashMap.newKeySet();
      List<Thread> threads = new ArrayList<>();
      CountDownLatch started = new CountDownLatch(2);
      for (int t = 0; t < 2; t++) {
        long seed = t;
        Thread th =
            new Thread(
                () -> {
                  started.countDown();
                  long i = seed;
                  try {
                    while (!stop.get()) {
                      Thread.onSpinWait();
                      LbContext ctx = LbContext.hash(i++ * 0x9E3779B97F4A7C15L);
                      Host h = c.choose(ctx);
                      if (!members.contains(h)) {
                        throw new AssertionError("chose a host outside the cluster: " + h);
                      }
                      seen.add(h.address().getPort());
                      h.requestStarted();
                      c.reportResponse(h, (i % 7 == 0) ? 503 : 200);
                      h.requestFinished(true);
                    }
                  } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                  }
                });
        threads.add(th);
        th.start();
      }
      started.await();
      for (int round = 0; round < 20; round++) {
        int r = round;
        c.controlLoop()
            .submit(
                () -> {
                  for (Host h : c.hosts()) {
                    h.setFlag(Host.FAILED_ACTIVE_HC, (h.address().getPort() + r) % 3 == 0);
                  }
                  c.healthChanged();
                })
            .syncUninterruptibly();
      }
      stop.set(true);
      for (Thread th : threads) {
        th.join();
      }
      assertThat(failure.get()).isNull();
      assertThat(seen).hasSizeGreaterThan(1);
      assertThat(c.hosts()).allSatisfy(h -> assertThat(h.activeRequests()).isZero());
    }
  }
}
