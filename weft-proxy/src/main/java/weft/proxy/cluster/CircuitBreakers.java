package weft.proxy.cluster;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import weft.proxy.observe.Counter;

/**
 * A cluster's DEFAULT-priority circuit breakers (Envoy's resource manager): lock-free counters of
 * open connections, pending requests, active requests and active retries, each with its
 * {@code circuit_breakers.thresholds} maximum. Every {@code tryAcquire*} that returns true must be
 * paired with the matching {@code release*}; a refusal counts Envoy's overflow stat.
 *
 * <p>Shared by all event loops of the proxy, so limits are proxy-wide as in Envoy.
 */
public final class CircuitBreakers {
  /** Envoy's {@code RetryBudget}: concurrent retries as a share of active plus pending requests. */
  public record RetryBudget(double budgetPercent, int minRetryConcurrency) {
    public static final RetryBudget DEFAULT = new RetryBudget(20.0, 3);
  }

  /** One {@code thresholds} entry, with Envoy's defaults filled in. */
  public record Thresholds(
      int maxConnections,
      int maxPendingRequests,
      int maxRequests,
      int maxRetries,
      Optional<RetryBudget> retryBudget) {
    public static final Thresholds DEFAULT =
        new Thresholds(1024, 1024, 1024, 3, Optional.empty());
  }

  private final Thresholds thresholds;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Counter cxOverflow;
  private final Counter rqPendingOverflow;
  private final Counter rqRetryOverflow;

  CircuitBreakers(Thresholds thresholds, ClusterStats stats) {
    this.thresholds = thresholds;
    this.cxOverflow = stats.upstreamCxOverflow();
    this.rqPendingOverflow = stats.upstreamRqPendingOverflow();
    this.rqRetryOverflow = stats.upstreamRqRetryOverflow();
  }

  public Thresholds thresholds() {
    return thresholds;
  }

  /**
   * A new upstream connection may be opened. On refusal ({@code upstream_cx_overflow}) the pool
   * queues the request as pending instead of connecting.
   */
  public boolean tryAcquireConnection() {
    return tryAcquire(connections, thresholds.maxConnections(), cxOverflow);
  }

  public void releaseConnection() {
    connections.decrementAndGet();
  }

  /** A request may wait for a connection; refusal counts {@code upstream_rq_pending_overflow}. */
  public boolean tryAcquirePendingRequest() {
    return tryAcquire(pending, thresholds.maxPendingRequests(), rqPendingOverflow);
  }

  public void releasePendingRequest() {
    pending.decrementAndGet();
  }

  /**
   * A request may become active. Envoy counts a refusal here as {@code
   * upstream_rq_pending_overflow} too (cluster_stats.rst: "overflowed connection pool or requests
   * circuit breaking").
   */
  public boolean tryAcquireRequest() {
    return tryAcquire(requests, thresholds.maxRequests(), rqPendingOverflow);
  }

  public void releaseRequest() {
    requests.decrementAndGet();
  }

  /**
   * A retry may start. With a {@code retry_budget} the limit is {@code max(min_retry_concurrency,
   * budget_percent% of (active + pending requests))} and {@code max_retries} is ignored, as Envoy
   * does. Refusal counts {@code upstream_rq_retry_overflow}.
   */
  public boolean tryAcquireRetry() {
    return tryAcquire(retries, maxRetriesNow(), rqRetryOverflow);
  }

  public void releaseRetry() {
    retries.decrementAndGet();
  }

  int maxRetriesNow() {
    if (thresholds.retryBudget().isEmpty()) {
      return thresholds.maxRetries();
    }
    RetryBudget b = thresholds.retryBudget().get();
    double budget = b.budgetPercent() / 100.0 * (requests.get() + pending.get());
    return Math.max(b.minRetryConcurrency(), (int) budget);
  }

  public int activeConnections() {
    return connections.get();
  }

  public int pendingRequests() {
    return pending.get();
  }

  public int activeRequests() {
    return requests.get();
  }

  public int activeRetries() {
    return retries.get();
  }

  private static boolean tryAcquire(AtomicInteger count, int max, Counter overflow) {
    while (true) {
      int cur = count.get();
      if (cur >= max) {
        overflow.inc();
        return false;
      }
      if (count.compareAndSet(cur, cur + 1)) {
        return true;
      }
    }
  }
}
