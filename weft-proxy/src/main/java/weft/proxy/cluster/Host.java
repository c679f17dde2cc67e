package weft.proxy.cluster;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One upstream endpoint of a cluster, with its health and per-host stats (the numbers in the admin
 * {@code /clusters} output).
 *
 * <p>Threading: the counters are lock-free and may be touched from any event loop. Health flags are
 * written only by the cluster's control event loop (health checks, outlier detection) and read
 * anywhere through a volatile field; the load balancer sees a change once the cluster publishes a
 * new host snapshot.
 */
public final class Host {
  static final int FAILED_ACTIVE_HC = 1;
  static final int FAILED_OUTLIER_CHECK = 1 << 1;
  static final int FAILED_EDS_HEALTH = 1 << 2;

  private final InetSocketAddress address;
  private final String addressString;
  private final String hostname;
  private final Locality locality;
  private final int priority;
  private final int weight;
  private final InetSocketAddress healthCheckAddress;
  private final String healthCheckHost;

  private volatile int healthFlags;

  private final LongAdder cxTotal = new LongAdder();
  private final AtomicInteger cxActive = new AtomicInteger();
  private final LongAdder cxConnectFail = new LongAdder();
  private final LongAdder rqTotal = new LongAdder();
  private final AtomicInteger rqActive = new AtomicInteger();
  private final LongAdder rqSuccess = new LongAdder();
  private final LongAdder rqError = new LongAdder();
  private final LongAdder rqTimeout = new LongAdder();

  /** Outlier-detection state; see {@link OutlierDetector}. */
  final OutlierState outlier = new OutlierState();

  Host(
      InetSocketAddress address,
      String hostname,
      Locality locality,
      int priority,
      int weight,
      InetSocketAddress healthCheckAddress,
      String healthCheckHost) {
    this.address = address;
    this.addressString = render(address);
    this.hostname = hostname;
    this.locality = locality;
    this.priority = priority;
    this.weight = weight;
    this.healthCheckAddress = healthCheckAddress;
    this.healthCheckHost = healthCheckHost;
  }

  /** {@code 127.0.0.1:8080} or {@code [::1]:8080}, as Envoy prints host addresses. */
  static String render(InetSocketAddress a) {
    String ip = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    if (a.getAddress() instanceof Inet6Address) {
      int scope = ip.indexOf('%');
      return "[" + (scope >= 0 ? ip.substring(0, scope) : ip) + "]:" + a.getPort();
    }
    return ip + ":" + a.getPort();
  }

  public InetSocketAddress address() {
    return address;
  }

  /** The address as {@code ip:port}; the key Envoy hashes for RING_HASH and MAGLEV. */
  public String addressString() {
    return addressString;
  }

  /** The endpoint's {@code hostname} (empty when not configured); used for auto_host_rewrite. */
  public String hostname() {
    return hostname;
  }

  public Locality locality() {
    return locality;
  }

  public int priority() {
    return priority;
  }

  /** The endpoint's {@code load_balancing_weight} (default 1). */
  public int weight() {
    return weight;
  }

  /** Where active health checks connect: the endpoint's {@code health_check_config.port_value}. */
  public InetSocketAddress healthCheckAddress() {
    return healthCheckAddress;
  }

  /** The endpoint's {@code health_check_config.hostname}, or empty. */
  String healthCheckHost() {
    return healthCheckHost;
  }

  /** True when neither an active health check nor outlier detection has failed this host. */
  public boolean healthy() {
    return healthFlags == 0;
  }

  public boolean failedActiveHealthCheck() {
    return (healthFlags & FAILED_ACTIVE_HC) != 0;
  }

  public boolean failedOutlierCheck() {
    return (healthFlags & FAILED_OUTLIER_CHECK) != 0;
  }

  int healthFlags() {
    return healthFlags;
  }

  /** Control loop only. Returns true if the flags changed. */
  boolean setFlag(int flag, boolean on) {
    int old = healthFlags;
    int next = on ? old | flag : old & ~flag;
    healthFlags = next;
    return next != old;
  }

  /** Envoy's {@code health_flags} text: {@code healthy} or e.g. {@code /failed_active_hc}. */
  String healthFlagsText() {
    int f = healthFlags;
    if (f == 0) {
      return "healthy";
    }
    StringBuilder sb = new StringBuilder();
    if ((f & FAILED_ACTIVE_HC) != 0) {
      sb.append("/failed_active_hc");
    }
    if ((f & FAILED_OUTLIER_CHECK) != 0) {
      sb.append("/failed_outlier_check");
    }
    if ((f & FAILED_EDS_HEALTH) != 0) {
      sb.append("/failed_eds_health");
    }
    return sb.toString();
  }

  // ---- per-host stats, called by the connection pool and router ----

  /** A connection to this host was established. */
  public void connectionOpened() {
    cxTotal.increment();
    cxActive.incrementAndGet();
  }

  /** An established connection to this host closed. */
  public void connectionClosed() {
    cxActive.decrementAndGet();
  }

  /** A connection attempt to this host failed (refused, timed out, TLS handshake failure). */
  public void connectFailed() {
    cxConnectFail.increment();
  }

  /** A request was sent to this host; pair with {@link #requestFinished}. */
  public void requestStarted() {
    rqTotal.increment();
    rqActive.incrementAndGet();
  }

  /** A request to this host ended; {@code success} is false for 5xx, resets and timeouts. */
  public void requestFinished(boolean success) {
    rqActive.decrementAndGet();
    (success ? rqSuccess : rqError).increment();
  }

  /** A request to this host timed out (also call {@link #requestFinished} with false). */
  public void requestTimedOut() {
    rqTimeout.increment();
  }

  /** Requests in flight to this host; LEAST_REQUEST reads it. */
  public int activeRequests() {
    return rqActive.get();
  }

  public int activeConnections() {
    return cxActive.get();
  }

  long cxTotal() {
    return cxTotal.sum();
  }

  long cxConnectFail() {
    return cxConnectFail.sum();
  }

  long rqTotal() {
    return rqTotal.sum();
  }

  long rqSuccess() {
    return rqSuccess.sum();
  }

  long rqError() {
    return rqError.sum();
  }

  long rqTimeout() {
    return rqTimeout.sum();
  }

  @Override
  public String toString() {
    return addressString;
  }

  /** Per-host outlier bookkeeping: counters from any loop, ejection times on the control loop. */
  static final class OutlierState {
    final AtomicInteger consecutive5xx = new AtomicInteger();
    final AtomicInteger consecutiveGatewayFailure = new AtomicInteger();
    int ejections; // the multiplier of base_ejection_time
    long lastEjectionNanos;
    long jitterNanos; // max_ejection_time_jitter drawn for the current ejection
  }
}
