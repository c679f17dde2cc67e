package weft.proxy.cluster;

import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;

/**
 * Envoy's consecutive-5xx and consecutive-gateway-failure outlier detection
 * (arch_overview/upstream/outlier). Results arrive from any event loop and only touch per-host atomic
 * counters; when a counter reaches its threshold the ejection decision runs on the cluster's control
 * loop (as Envoy posts it to its main thread), which flips the host's flag and republishes the host
 * snapshot. Unejection happens on the {@code interval} timer.
 *
 * <p>Locally originated failures are mapped to HTTP codes as Envoy does without {@code
 * split_external_local_origin_errors}: connect failure and reset = 503, timeout = 504.
 */
final class OutlierDetector {
  /** The supported part of {@code outlier_detection}, with Envoy's defaults. */
  record Config(
      int consecutive5xx,
      int consecutiveGatewayFailure,
      Duration interval,
      Duration baseEjectionTime,
      Duration maxEjectionTime,
      Duration maxEjectionTimeJitter,
      int maxEjectionPercent,
      int enforcingConsecutive5xx,
      int enforcingConsecutiveGatewayFailure,
      boolean alwaysEjectOneHost,
      boolean successfulActiveHealthCheckUnejectHost) {

    static Config compile(OutlierDetection o, ConfigPath path, ConfigProblems problems) {
      SupportedFields.check(
          o, path, problems, "consecutive_5xx", "consecutive_gateway_failure", "interval",
          "base_ejection_time", "max_ejection_time", "max_ejection_time_jitter", "max_ejection_percent",
          "enforcing_consecutive_5xx", "enforcing_consecutive_gateway_failure",
          "always_eject_one_host", "successful_active_health_check_uneject_host",
          // success-rate detection is refused unless explicitly disabled (enforcing 0)
          "enforcing_success_rate");
      if (o.hasEnforcingSuccessRate() && o.getEnforcingSuccessRate().getValue() != 0) {
        problems.add(
            path.field("enforcing_success_rate"),
            "success-rate outlier detection is not supported (set enforcing_success_rate: 0)");
      }
      Duration base = Durations.or(o.hasBaseEjectionTime(), o.getBaseEjectionTime(), Duration.ofSeconds(30));
      Duration max = Durations.or(o.hasMaxEjectionTime(), o.getMaxEjectionTime(), Duration.ofSeconds(300));
      return new Config(
          o.hasConsecutive5Xx() ? o.getConsecutive5Xx().getValue() : 5,
          o.hasConsecutiveGatewayFailure() ? o.getConsecutiveGatewayFailure().getValue() : 5,
          Durations.or(o.hasInterval(), o.getInterval(), Duration.ofSeconds(10)),
          base,
          max.compareTo(base) < 0 ? base : max,
          Durations.or(o.hasMaxEjectionTimeJitter(), o.getMaxEjectionTimeJitter(), Duration.ZERO),
          percent(o.hasMaxEjectionPercent(), o.getMaxEjectionPercent().getValue(), 10, path.field("max_ejection_percent"), problems),
          percent(o.hasEnforcingConsecutive5Xx(), o.getEnforcingConsecutive5Xx().getValue(), 100, path.field("enforcing_consecutive_5xx"), problems),
          percent(o.hasEnforcingConsecutiveGatewayFailure(), o.getEnforcingConsecutiveGatewayFailure().getValue(), 0, path.field("enforcing_consecutive_gateway_failure"), problems),
          o.hasAlwaysEjectOneHost() && o.getAlwaysEjectOneHost().getValue(),
          !o.hasSuccessfulActiveHealthCheckUnejectHost()
              || o.getSuccessfulActiveHealthCheckUnejectHost().getValue());
    }

    private static int percent(boolean has, int v, int dflt, ConfigPath p, ConfigProblems problems) {
      if (!has) {
        return dflt;
      }
      if (v < 0 || v > 100) {
        problems.add(p, Integer.toUnsignedString(v) + " (expected: 0 to 100)");
        return dflt;
      }
      return v;
    }
  }

  private enum Kind {
    CONSECUTIVE_5XX,
    CONSECUTIVE_GATEWAY_FAILURE
  }

  private final Config config;
  private final UpstreamCluster cluster;
  private final EventLoop control;
  private final Ticker ticker;
  private final Gauge ejectionsActive;
  private final Counter ejectionsTotal;
  private final Counter ejectionsOverflow;
  private final Counter enforcedTotal;
  private final Counter enforced5xx;
  private final Counter detected5xx;
  private final Counter enforcedGateway;
  private final Counter detectedGateway;
  private int active; // control loop only
  private ScheduledFuture<?> timer;

  OutlierDetector(Config config, UpstreamCluster cluster, EventLoop control, Ticker ticker, ClusterStats stats) {
    this.config = config;
    this.cluster = cluster;
    this.control = control;
    this.ticker = ticker;
    String p = "outlier_detection.";
    ejectionsActive = stats.gauge(p + "ejections_active");
    ejectionsTotal = stats.counter(p + "ejections_total");
    ejectionsOverflow = stats.counter(p + "ejections_overflow");
    enforcedTotal = stats.counter(p + "ejections_enforced_total");
    enforced5xx = stats.counter(p + "ejections_enforced_consecutive_5xx");
    detected5xx = stats.counter(p + "ejections_detected_consecutive_5xx");
    enforcedGateway = stats.counter(p + "ejections_enforced_consecutive_gateway_failure");
    detectedGateway = stats.counter(p + "ejections_detected_consecutive_gateway_failure");
  }

  Config config() {
    return config;
  }

  void start() {
    long ms = config.interval().toMillis();
    timer = control.scheduleAtFixedRate(this::onIntervalTimer, ms, ms, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (timer != null) {
      timer.cancel(false);
    }
  }

  /** Any event loop. {@code status} is the upstream's HTTP status (or the mapped local failure). */
  void onResult(Host host, int status) {
    Host.OutlierState s = host.outlier;
    if (status >= 500 && status <= 599) {
      if (status >= 502 && status <= 504) {
        if (s.consecutiveGatewayFailure.incrementAndGet() == config.consecutiveGatewayFailure()) {
          control.execute(() -> onConsecutive(host, Kind.CONSECUTIVE_GATEWAY_FAILURE));
        }
      } else if (s.consecutiveGatewayFailure.get() != 0) {
        s.consecutiveGatewayFailure.set(0);
      }
      if (s.consecutive5xx.incrementAndGet() == config.consecutive5xx()) {
        control.execute(() -> onConsecutive(host, Kind.CONSECUTIVE_5XX));
      }
    } else {
      // avoid writing shared cache lines on the common success path
      if (s.consecutive5xx.get() != 0) {
        s.consecutive5xx.set(0);
      }
      if (s.consecutiveGatewayFailure.get() != 0) {
        s.consecutiveGatewayFailure.set(0);
      }
    }
  }

  /** Control loop. */
  private void onConsecutive(Host host, Kind kind) {
    if (!cluster.isMember(host) || host.failedOutlierCheck()) {
      return;
    }
    // reset so that the next ejection needs a fresh run of errors
    (kind == Kind.CONSECUTIVE_5XX ? host.outlier.consecutive5xx : host.outlier.consecutiveGatewayFailure).set(0);
    (kind == Kind.CONSECUTIVE_5XX ? detected5xx : detectedGateway).inc();
    List<Host> hosts = cluster.members();
    double percentAfter = 100.0 * (active + 1) / hosts.size();
    boolean allowed =
        percentAfter <= config.maxEjectionPercent() || (config.alwaysEjectOneHost() && active == 0);
    if (!allowed) {
      ejectionsOverflow.inc();
      return;
    }
    if (kind == Kind.CONSECUTIVE_5XX) {
      ejectionsTotal.inc(); // Envoy's deprecated total, kept for dashboards
    }
    int enforcing =
        kind == Kind.CONSECUTIVE_5XX
            ? config.enforcingConsecutive5xx()
            : config.enforcingConsecutiveGatewayFailure();
    if (ThreadLocalRandom.current().nextInt(100) >= enforcing) {
      return;
    }
    active++;
    ejectionsActive.set(active);
    enforcedTotal.inc();
    (kind == Kind.CONSECUTIVE_5XX ? enforced5xx : enforcedGateway).inc();
    Host.OutlierState s = host.outlier;
    long base = config.baseEjectionTime().toNanos();
    // the multiplier grows until base * multiplier passes max_ejection_time (Envoy's backoff)
    if (s.ejections * base < config.maxEjectionTime().toNanos() + base) {
      s.ejections++;
    }
    s.lastEjectionNanos = ticker.nanoTime();
    long jitter = config.maxEjectionTimeJitter().toNanos();
    // spread returns so that every proxy does not retry the host at the same moment
    s.jitterNanos = jitter > 0 ? ThreadLocalRandom.current().nextLong(jitter) : 0;
    host.setFlag(Host.FAILED_OUTLIER_CHECK, true);
    cluster.healthChanged();
  }

  /**
   * Control loop: returns ejected hosts whose time ({@code min(base * multiplier, max)}) is up, and
   * decrements the multiplier of every host found healthy (outlier.rst, ejection algorithm).
   */
  void onIntervalTimer() {
    long now = ticker.nanoTime();
    long base = config.baseEjectionTime().toNanos();
    long max = config.maxEjectionTime().toNanos();
    boolean changed = false;
    for (Host h : cluster.members()) {
      Host.OutlierState s = h.outlier;
      if (!h.failedOutlierCheck()) {
        if (s.ejections > 0) {
          s.ejections--;
        }
        continue;
      }
      long ejectFor = Math.min(base * Math.max(1, s.ejections), max) + s.jitterNanos;
      if (now - s.lastEjectionNanos >= ejectFor) {
        uneject(h);
        changed = true;
      }
    }
    if (changed) {
      cluster.healthChanged();
    }
  }

  /**
   * Control loop: the host passes active health checking (a check succeeded and it is not marked
   * failed): an ejected host returns, with its counters cleared (Envoy's default).
   */
  void onActiveHealthCheckSuccess(Host h) {
    if (config.successfulActiveHealthCheckUnejectHost() && h.failedOutlierCheck()) {
      uneject(h);
      cluster.healthChanged();
    }
  }

  /** Control loop: a host left the cluster. */
  void onHostRemoved(Host h) {
    if (h.failedOutlierCheck()) {
      active--;
      ejectionsActive.set(active);
    }
  }

  private void uneject(Host h) {
    h.setFlag(Host.FAILED_OUTLIER_CHECK, false);
    h.outlier.consecutive5xx.set(0);
    h.outlier.consecutiveGatewayFailure.set(0);
    active--;
    ejectionsActive.set(active);
  }
}
