package weft.proxy.cluster;

import java.util.concurrent.atomic.AtomicReferenceArray;
import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;
import weft.proxy.observe.Histogram;
import weft.proxy.observe.StatsStore;

/**
 * Handles for a cluster's stats under Envoy's names ({@code cluster.<name>.upstream_rq_total}, ...;
 * see Envoy's cluster_stats.rst). Looked up once when the cluster is built; nothing on the request
 * path touches the store's maps except the first response with a new status code.
 */
public final class ClusterStats {
  private final StatsStore store;
  private final String prefix;
  private final AtomicReferenceArray<Counter> byCode = new AtomicReferenceArray<>(600);
  private final Counter[] byClass = new Counter[6];

  private final Counter rqTotal;
  private final Counter rqCompleted;
  private final Counter rqRetry;
  private final Counter rqRetrySuccess;
  private final Counter rqRetryOverflow;
  private final Counter rqTimeout;
  private final Counter rqPerTryTimeout;
  private final Counter rqPendingTotal;
  private final Counter rqPendingOverflow;
  private final Counter cxTotal;
  private final Counter cxConnectFail;
  private final Counter cxConnectTimeout;
  private final Counter cxOverflow;
  private final Counter lbHealthyPanic;
  private final Gauge cxActive;
  private final Gauge rqActive;
  private final Gauge rqPendingActive;
  private final Gauge membershipHealthy;
  private final Gauge membershipTotal;
  private final Histogram rqTime;

  ClusterStats(StatsStore store, String clusterName) {
    this.store = store;
    this.prefix = "cluster." + clusterName + ".";
    for (int c = 1; c <= 5; c++) {
      byClass[c] = store.counter(prefix + "upstream_rq_" + c + "xx");
    }
    rqTotal = counter("upstream_rq_total");
    rqCompleted = counter("upstream_rq_completed");
    rqRetry = counter("upstream_rq_retry");
    rqRetrySuccess = counter("upstream_rq_retry_success");
    rqRetryOverflow = counter("upstream_rq_retry_overflow");
    rqTimeout = counter("upstream_rq_timeout");
    rqPerTryTimeout = counter("upstream_rq_per_try_timeout");
    rqPendingTotal = counter("upstream_rq_pending_total");
    rqPendingOverflow = counter("upstream_rq_pending_overflow");
    cxTotal = counter("upstream_cx_total");
    cxConnectFail = counter("upstream_cx_connect_fail");
    cxConnectTimeout = counter("upstream_cx_connect_timeout");
    cxOverflow = counter("upstream_cx_overflow");
    lbHealthyPanic = counter("lb_healthy_panic");
    cxActive = gauge("upstream_cx_active");
    rqActive = gauge("upstream_rq_active");
    rqPendingActive = gauge("upstream_rq_pending_active");
    membershipHealthy = gauge("membership_healthy");
    membershipTotal = gauge("membership_total");
    rqTime = store.histogram(prefix + "upstream_rq_time");
  }

  /** {@code cluster.<name>.<stat>}; for stats owned by other parts of this package. */
  Counter counter(String stat) {
    return store.counter(prefix + stat);
  }

  Gauge gauge(String stat) {
    return store.gauge(prefix + stat);
  }

  /**
   * Records a response from upstream: {@code upstream_rq_completed}, {@code upstream_rq_<code>},
   * {@code upstream_rq_<c>xx} and the {@code upstream_rq_time} histogram.
   */
  public void recordResponse(int status, long elapsedMillis) {
    rqCompleted.inc();
    upstreamRqCode(status).inc();
    int cls = status / 100;
    if (cls >= 1 && cls <= 5) {
      byClass[cls].inc();
    }
    rqTime.recordMillis(elapsedMillis);
  }

  /** {@code upstream_rq_<code>}, created on first use. */
  public Counter upstreamRqCode(int status) {
    if (status < 0 || status >= 600) {
      return counter("upstream_rq_" + status);
    }
    Counter c = byCode.get(status);
    if (c == null) {
      c = counter("upstream_rq_" + status);
      byCode.set(status, c);
    }
    return c;
  }

  public Counter upstreamRqTotal() {
    return rqTotal;
  }

  public Counter upstreamRqCompleted() {
    return rqCompleted;
  }

  public Counter upstreamRqRetry() {
    return rqRetry;
  }

  public Counter upstreamRqRetrySuccess() {
    return rqRetrySuccess;
  }

  public Counter upstreamRqRetryOverflow() {
    return rqRetryOverflow;
  }

  public Counter upstreamRqTimeout() {
    return rqTimeout;
  }

  public Counter upstreamRqPerTryTimeout() {
    return rqPerTryTimeout;
  }

  public Counter upstreamRqPendingTotal() {
    return rqPendingTotal;
  }

  public Counter upstreamRqPendingOverflow() {
    return rqPendingOverflow;
  }

  public Counter upstreamCxTotal() {
    return cxTotal;
  }

  public Counter upstreamCxConnectFail() {
    return cxConnectFail;
  }

  public Counter upstreamCxConnectTimeout() {
    return cxConnectTimeout;
  }

  public Counter upstreamCxOverflow() {
    return cxOverflow;
  }

  public Counter lbHealthyPanic() {
    return lbHealthyPanic;
  }

  public Gauge upstreamCxActive() {
    return cxActive;
  }

  public Gauge upstreamRqActive() {
    return rqActive;
  }

  public Gauge upstreamRqPendingActive() {
    return rqPendingActive;
  }

  public Gauge membershipHealthy() {
    return membershipHealthy;
  }

  public Gauge membershipTotal() {
    return membershipTotal;
  }

  public Histogram upstreamRqTime() {
    return rqTime;
  }
}
