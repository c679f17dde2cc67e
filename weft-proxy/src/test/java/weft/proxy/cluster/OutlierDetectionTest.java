package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.cluster.ClusterFixtures.build;
import static weft.proxy.cluster.ClusterFixtures.staticCluster;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.cluster.ClusterFixtures.FakeTicker;

/** arch_overview/upstream/outlier: consecutive 5xx and gateway failures, with an injected clock. */
@Timeout(10)
class OutlierDetectionTest {
  private final FakeTicker ticker = new FakeTicker();

  private static String outlier(String fields) {
    return "\"outlier_detection\":{" + fields + "}";
  }

  private static Host host(UpstreamCluster c, int port) {
    return c.hosts().stream().filter(h -> h.address().getPort() == port).findFirst().orElseThrow();
  }

  private static void onControlLoop(UpstreamCluster c, Runnable r) {
    c.controlLoop().submit(r).syncUninterruptibly();
  }

  /** Waits until every task queued on the control loop so far has run. */
  private static void drain(UpstreamCluster c) {
    onControlLoop(c, () -> {});
  }

  @Test
  void fiveConsecutive5xxEjectTheHostAndTrafficAvoidsIt() {
    String extra = outlier("\"consecutive_5xx\":5,\"base_ejection_time\":\"30s\",\"max_ejection_percent\":50");
    try (var b = build(ticker, staticCluster("service", "ROUND_ROBIN", extra, 19482, 19483, 19484))) {
      UpstreamCluster c = b.cluster("service");
      Host bad = host(c, 19484);
      for (int i = 0; i < 4; i++) {
        c.reportResponse(bad, 500);
      }
      drain(c);
      assertThat(bad.healthy()).isTrue();
      c.reportResponse(bad, 500);
      await().until(bad::failedOutlierCheck);
      drain(c);
      Set<Integer> chosen = new HashSet<>();
      for (int i = 0; i < 60; i++) {
        chosen.add(c.choose(LbContext.NONE).address().getPort());
      }
      assertThat(chosen).containsExactlyInAnyOrder(19482, 19483);
      assertThat(b.manager().dumpClusters())
          .contains("service::127.0.0.1:19484::health_flags::/failed_outlier_check");
      assertThat(b.stats().gauge("cluster.service.outlier_detection.ejections_active").value()).isEqualTo(1);
      assertThat(b.stats().counter("cluster.service.outlier_detection.ejections_enforced_consecutive_5xx").value())
          .isEqualTo(1);
      assertThat(b.stats().counter("cluster.service.outlier_detection.ejections_enforced_total").value()).isEqualTo(1);
      assertThat(b.stats().gauge("cluster.service.membership_healthy").value()).isEqualTo(2);
    }
  }

  @Test
  void aSuccessInBetweenResetsTheConsecutiveCount() {
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", outlier("\"max_ejection_percent\":100"), 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 4; i++) {
        c.reportResponse(h, 503);
      }
      c.reportResponse(h, 200);
      for (int i = 0; i < 4; i++) {
        c.reportResponse(h, 500);
      }
      drain(c);
      assertThat(h.healthy()).isTrue();
    }
  }

  @Test
  void ejectionLastsBaseTimeTimesTheNumberOfEjections() {
    String extra = outlier("\"base_ejection_time\":\"30s\",\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      OutlierDetector od = c.outlierDetector();
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportConnectFailure(h);
      }
      await().until(h::failedOutlierCheck);
      ticker.advanceSeconds(29);
      onControlLoop(c, od::onIntervalTimer);
      assertThat(h.failedOutlierCheck()).isTrue();
      ticker.advanceSeconds(1);
      onControlLoop(c, od::onIntervalTimer);
      assertThat(h.healthy()).isTrue();
      assertThat(b.stats().gauge("cluster.s.outlier_detection.ejections_active").value()).isZero();

      // ejected a second time in a row: 60 s
      for (int i = 0; i < 5; i++) {
        c.reportTimeout(h);
      }
      await().until(h::failedOutlierCheck);
      ticker.advanceSeconds(59);
      onControlLoop(c, od::onIntervalTimer);
      assertThat(h.failedOutlierCheck()).isTrue();
      ticker.advanceSeconds(1);
      onControlLoop(c, od::onIntervalTimer);
      assertThat(h.healthy()).isTrue();
    }
  }

  @Test
  void healthyIntervalsShrinkTheMultiplierAgain() {
    String extra = outlier("\"base_ejection_time\":\"30s\",\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      OutlierDetector od = c.outlierDetector();
      Host h = host(c, 1);
      for (int round = 1; round <= 2; round++) {
        for (int i = 0; i < 5; i++) {
          c.reportResponse(h, 500);
        }
        await().until(h::failedOutlierCheck);
        ticker.advanceSeconds(30L * round);
        onControlLoop(c, od::onIntervalTimer);
        assertThat(h.healthy()).isTrue();
      }
      // two healthy interval checks take the multiplier from 2 back to 0: the next ejection is 30 s
      onControlLoop(c, od::onIntervalTimer);
      onControlLoop(c, od::onIntervalTimer);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 500);
      }
      await().until(h::failedOutlierCheck);
      ticker.advanceSeconds(30);
      onControlLoop(c, od::onIntervalTimer);
      assertThat(h.healthy()).isTrue();
    }
  }

  @Test
  void ejectionTimeIsCappedByMaxEjectionTime() {
    String extra =
        outlier("\"base_ejection_time\":\"30s\",\"max_ejection_time\":\"40s\",\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 5; i++) {
          c.reportReset(h);
        }
        await().until(h::failedOutlierCheck);
        ticker.advanceSeconds(40);
        onControlLoop(c, c.outlierDetector()::onIntervalTimer);
        assertThat(h.healthy()).as("round %d", round).isTrue();
      }
    }
  }

  @Test
  void ejectionJitterAddsUpToMaxEjectionTimeJitter() {
    String extra =
        outlier("\"base_ejection_time\":\"30s\",\"max_ejection_time_jitter\":\"10s\",\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 500);
      }
      await().until(h::failedOutlierCheck);
      // never before the base time, always by base + jitter
      ticker.advanceSeconds(29);
      onControlLoop(c, c.outlierDetector()::onIntervalTimer);
      assertThat(h.failedOutlierCheck()).isTrue();
      ticker.advanceSeconds(11);
      onControlLoop(c, c.outlierDetector()::onIntervalTimer);
      assertThat(h.healthy()).isTrue();
    }
  }

  @Test
  void gatewayFailuresAreDetectedButNotEnforcedByDefault() {
    // consecutive_5xx set high so only the gateway-failure detector can fire
    String extra = outlier("\"consecutive_5xx\":100,\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 502);
      }
      drain(c);
      assertThat(h.healthy()).isTrue();
      assertThat(b.stats().counter("cluster.s.outlier_detection.ejections_detected_consecutive_gateway_failure").value())
          .isEqualTo(1);
      assertThat(b.stats().counter("cluster.s.outlier_detection.ejections_enforced_total").value()).isZero();
    }
  }

  @Test
  void gatewayFailuresEjectWhenEnforced() {
    String extra =
        outlier("\"consecutive_5xx\":100,\"enforcing_consecutive_gateway_failure\":100,\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 504);
      }
      await().until(h::failedOutlierCheck);
      assertThat(b.stats().counter("cluster.s.outlier_detection.ejections_enforced_consecutive_gateway_failure").value())
          .isEqualTo(1);
    }
  }

  @Test
  void maxEjectionPercentLimitsEjectionsUnlessAlwaysEjectOneHost() {
    // 3 hosts, default 10%: ejecting one would be 33%, so it overflows
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", outlier(""), 1, 2, 3))) {
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 500);
      }
      drain(c);
      assertThat(h.healthy()).isTrue();
      assertThat(b.stats().counter("cluster.s.outlier_detection.ejections_overflow").value()).isEqualTo(1);
    }
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", outlier("\"always_eject_one_host\":true"), 1, 2, 3))) {
      UpstreamCluster c = b.cluster("s");
      Host first = host(c, 1);
      Host second = host(c, 2);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(first, 500);
        c.reportResponse(second, 500);
      }
      drain(c);
      assertThat(first.failedOutlierCheck()).isTrue();
      assertThat(second.healthy()).as("only one host beyond max_ejection_percent").isTrue();
    }
  }

  @Test
  void successRateDetectionIsRefused() {
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", outlier("\"success_rate_minimum_hosts\":3"), 1))) {
      assertThat(b.problems().list())
          .map(Object::toString)
          .contains("static_resources.clusters[0].outlier_detection.success_rate_minimum_hosts: field is not supported by weft");
    }
  }

  @Test
  void unejectTimerRunsOnTheInterval() {
    String extra = outlier("\"interval\":\"0.05s\",\"base_ejection_time\":\"1s\",\"max_ejection_percent\":100");
    try (var b = build(ticker, staticCluster("s", "ROUND_ROBIN", extra, 1, 2))) {
      b.manager().start();
      UpstreamCluster c = b.cluster("s");
      Host h = host(c, 1);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 500);
      }
      await().until(h::failedOutlierCheck);
      ticker.advanceSeconds(1);
      await().atMost(5, TimeUnit.SECONDS).until(h::healthy);
    }
  }
}
