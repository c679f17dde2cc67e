package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;
import static weft.proxy.cluster.ClusterFixtures.staticCluster;

import org.junit.jupiter.api.Test;

class CircuitBreakersTest {

  @Test
  void eachLimitRefusesBeyondItsMaximumAndCountsOverflow() {
    String extra =
        "\"circuit_breakers\":{\"thresholds\":[{\"max_connections\":1,\"max_pending_requests\":1,"
            + "\"max_requests\":2,\"max_retries\":1}]}";
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", extra, 80))) {
      CircuitBreakers cb = b.cluster("svc").circuitBreakers();
      assertThat(cb.tryAcquireConnection()).isTrue();
      assertThat(cb.tryAcquireConnection()).isFalse();
      assertThat(cb.tryAcquirePendingRequest()).isTrue();
      assertThat(cb.tryAcquirePendingRequest()).isFalse();
      assertThat(cb.tryAcquireRequest()).isTrue();
      assertThat(cb.tryAcquireRequest()).isTrue();
      assertThat(cb.tryAcquireRequest()).isFalse();
      assertThat(cb.tryAcquireRetry()).isTrue();
      assertThat(cb.tryAcquireRetry()).isFalse();
      assertThat(b.stats().counter("cluster.svc.upstream_cx_overflow").value()).isEqualTo(1);
      // Envoy counts max_requests overflow as pending overflow too
      assertThat(b.stats().counter("cluster.svc.upstream_rq_pending_overflow").value()).isEqualTo(2);
      assertThat(b.stats().counter("cluster.svc.upstream_rq_retry_overflow").value()).isEqualTo(1);
      cb.releaseConnection();
      cb.releaseRetry();
      assertThat(cb.tryAcquireConnection()).isTrue();
      assertThat(cb.tryAcquireRetry()).isTrue();
    }
  }

  @Test
  void retryBudgetAllowsAShareOfActiveAndPendingRequestsWithAMinimum() {
    String extra =
        "\"circuit_breakers\":{\"thresholds\":[{\"max_retries\":1,\"retry_budget\":{}}]}";
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", extra, 80))) {
      CircuitBreakers cb = b.cluster("svc").circuitBreakers();
      assertThat(cb.thresholds().retryBudget()).contains(CircuitBreakers.RetryBudget.DEFAULT);
      // no load: min_retry_concurrency (3) applies, max_retries (1) is ignored
      assertThat(cb.maxRetriesNow()).isEqualTo(3);
      for (int i = 0; i < 30; i++) {
        cb.tryAcquireRequest();
      }
      for (int i = 0; i < 10; i++) {
        cb.tryAcquirePendingRequest();
      }
      // 20% of 40
      assertThat(cb.maxRetriesNow()).isEqualTo(8);
      int granted = 0;
      while (cb.tryAcquireRetry()) {
        granted++;
      }
      assertThat(granted).isEqualTo(8);
    }
  }

  @Test
  void customBudgetPercentAndMinimum() {
    String extra =
        "\"circuit_breakers\":{\"thresholds\":[{\"retry_budget\":{\"budget_percent\":{\"value\":50},"
            + "\"min_retry_concurrency\":1}}]}";
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", extra, 80))) {
      CircuitBreakers cb = b.cluster("svc").circuitBreakers();
      assertThat(cb.maxRetriesNow()).isEqualTo(1);
      for (int i = 0; i < 10; i++) {
        cb.tryAcquireRequest();
      }
      assertThat(cb.maxRetriesNow()).isEqualTo(5);
    }
  }
}
