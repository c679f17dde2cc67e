package weft.proxy.filter.fault;

import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.netty.handler.codec.http.HttpHeaders;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.HeaderMatcher;
import weft.proxy.matcher.HeaderSource;
import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;
import weft.proxy.observe.StatsStore;

/**
 * Envoy's HTTP fault injection filter config ({@code envoy.filters.http.fault}, api {@code
 * extensions.filters.http.fault.v3.HTTPFault}), compiled once and shared by every event loop;
 * {@link #decide} picks the faults for one request. Honoured: {@code delay} (fixed or header),
 * {@code abort} (HTTP, gRPC or header), {@code response_rate_limit} (fixed or header), their
 * percentages and the percentage headers, {@code headers} (all must match, Envoy's {@code
 * HeaderUtility::matchHeaders}), {@code max_active_faults} and {@code
 * disable_downstream_cluster_stats}. weft has no runtime layer, so the {@code *_runtime} keys are
 * accepted and their defaults (the configured values) apply, as in an Envoy without runtime
 * overrides. {@code upstream_cluster}, {@code downstream_nodes} and {@code filter_metadata} are
 * refused.
 *
 * <p>Stats, under {@code http.<stat_prefix>.fault.}: {@code delays_injected}, {@code
 * aborts_injected}, {@code response_rl_injected}, {@code faults_overflow}, {@code active_faults}
 * (gauge), and {@code <downstream-cluster>.delays_injected|aborts_injected} per {@code
 * x-envoy-downstream-service-cluster}.
 */
public final class FaultFilterConfig {
  private sealed interface DelaySource {}

  private record FixedDelay(long millis) implements DelaySource {}

  private record HeaderDelay() implements DelaySource {}

  private sealed interface AbortSource {}

  private record FixedAbort(FaultDecision.Abort abort) implements AbortSource {}

  private record HeaderAbort() implements AbortSource {}

  private final HeaderMatcher[] matchers;
  private final DelaySource delay;
  private final Percent delayPercent;
  private final AbortSource abort;
  private final Percent abortPercent;
  private final Long fixedRateKbps; // null: header-controlled
  private final Percent ratePercent; // null: no response rate limit
  private final long maxActiveFaults;
  private final boolean downstreamClusterStats;
  private final String prefix;
  private final StatsStore stats;
  private final Counter delaysInjected;
  private final Counter abortsInjected;
  private final Counter rateLimitsInjected;
  private final Counter overflow;
  private final Gauge activeFaults;

  private FaultFilterConfig(
      HeaderMatcher[] matchers,
      DelaySource delay,
      Percent delayPercent,
      AbortSource abort,
      Percent abortPercent,
      Long fixedRateKbps,
      Percent ratePercent,
      long maxActiveFaults,
      boolean downstreamClusterStats,
      String prefix,
      StatsStore stats) {
    this.matchers = matchers;
    this.delay = delay;
    this.delayPercent = delayPercent;
    this.abort = abort;
    this.abortPercent = abortPercent;
    this.fixedRateKbps = fixedRateKbps;
    this.ratePercent = ratePercent;
    this.maxActiveFaults = maxActiveFaults;
    this.downstreamClusterStats = downstreamClusterStats;
    this.prefix = prefix;
    this.stats = stats;
    this.delaysInjected = stats.counter(prefix + "delays_injected");
    this.abortsInjected = stats.counter(prefix + "aborts_injected");
    this.rateLimitsInjected = stats.counter(prefix + "response_rl_injected");
    this.overflow = stats.counter(prefix + "faults_overflow");
    this.activeFaults = stats.gauge(prefix + "active_faults");
  }

  /**
   * Compiles the filter config of the connection manager whose {@code stat_prefix} is {@code
   * hcmStatPrefix}; problems are recorded at {@code path}.
   */
  public static FaultFilterConfig compile(
      HTTPFault fault,
      String hcmStatPrefix,
      StatsStore stats,
      ConfigPath path,
      ConfigProblems problems) {
    SupportedFields.check(
        fault,
        path,
        problems,
        "delay",
        "abort",
        "headers",
        "response_rate_limit",
        "max_active_faults",
        "disable_downstream_cluster_stats",
        "delay_percent_runtime",
        "abort_percent_runtime",
        "delay_duration_runtime",
        "abort_http_status_runtime",
        "abort_grpc_status_runtime",
        "max_active_faults_runtime",
        "response_rate_limit_percent_runtime");
    java.util.List<HeaderMatcher> matcherList = new java.util.ArrayList<>();
    for (int i = 0; i < fault.getHeadersCount(); i++) {
      HeaderMatcher m =
          HeaderMatcher.compile(fault.getHeaders(i), path.field("headers").index(i), problems);
      if (m != null) {
        matcherList.add(m);
      }
    }
    HeaderMatcher[] matchers = matcherList.toArray(new HeaderMatcher[0]);
    DelaySource delay = null;
    Percent delayPercent = null;
    if (fault.hasDelay()) {
      ConfigPath dp = path.field("delay");
      FaultDelay d = fault.getDelay();
      SupportedFields.check(d, dp, problems, "fixed_delay", "header_delay", "percentage");
      delay =
          switch (d.getFaultDelaySecifierCase()) {
            case FIXED_DELAY -> {
              var dur = d.getFixedDelay();
              yield new FixedDelay(dur.getSeconds() * 1000 + dur.getNanos() / 1_000_000);
            }
            case HEADER_DELAY -> new HeaderDelay();
            case FAULTDELAYSECIFIER_NOT_SET -> {
              problems.add(dp, "delay needs fixed_delay or header_delay");
              yield null;
            }
          };
      delayPercent = Percent.compile(d.getPercentage(), dp.field("percentage"), problems);
    }
    AbortSource abort = null;
    Percent abortPercent = null;
    if (fault.hasAbort()) {
      ConfigPath ap = path.field("abort");
      FaultAbort a = fault.getAbort();
      SupportedFields.check(
          a, ap, problems, "http_status", "grpc_status", "header_abort", "percentage");
      abort =
          switch (a.getErrorTypeCase()) {
            case HTTP_STATUS -> {
              int s = a.getHttpStatus();
              if (s < 200 || s >= 600) {
                problems.add(
                    ap.field("http_status"),
                    "http_status " + s + " is out of range (expected: [200, 600))");
              }
              yield new FixedAbort(new FaultDecision.Abort(s, -1));
            }
            case GRPC_STATUS -> new FixedAbort(new FaultDecision.Abort(200, a.getGrpcStatus()));
            case HEADER_ABORT -> new HeaderAbort();
            case ERRORTYPE_NOT_SET -> {
              problems.add(ap, "abort needs http_status, grpc_status or header_abort");
              yield null;
            }
          };
      abortPercent = Percent.compile(a.getPercentage(), ap.field("percentage"), problems);
    }
    Long fixedRate = null;
    Percent ratePercent = null;
    if (fault.hasResponseRateLimit()) {
      ConfigPath rp = path.field("response_rate_limit");
      FaultRateLimit r = fault.getResponseRateLimit();
      SupportedFields.check(r, rp, problems, "fixed_limit", "header_limit", "percentage");
      switch (r.getLimitTypeCase()) {
        case FIXED_LIMIT -> {
          fixedRate = r.getFixedLimit().getLimitKbps();
          if (fixedRate < 1) {
            problems.add(
                rp.field("fixed_limit").field("limit_kbps"),
                "limit_kbps " + fixedRate + " (expected: >= 1)");
          }
        }
        case HEADER_LIMIT -> fixedRate = null;
        case LIMITTYPE_NOT_SET ->
            problems.add(rp, "response_rate_limit needs fixed_limit or header_limit");
      }
      ratePercent = Percent.compile(r.getPercentage(), rp.field("percentage"), problems);
    }
    long max =
        fault.hasMaxActiveFaults()
            ? Integer.toUnsignedLong(fault.getMaxActiveFaults().getValue())
            : Long.MAX_VALUE;
    return new FaultFilterConfig(
        matchers,
        delay,
        delayPercent,
        abort,
        abortPercent,
        fixedRate,
        ratePercent,
        max,
        !fault.getDisableDownstreamClusterStats(),
        "http." + hcmStatPrefix + ".fault.",
        stats);
  }

  /**
   * Picks the faults for one request from its headers, in Envoy's order (response rate limit,
   * delay, then abort), counting stats and taking an active-fault slot when a fault applies. Called
   * on the request's event loop; allocates only when a fault is injected.
   */
  public FaultDecision decide(HttpHeaders headers, RandomSource random) {
    if (matchers.length == 0) {
      return decide(null, headers, random);
    }
    // Without the request line, pseudo-header matchers (:path, ...) see no value.
    return decide(name -> HeaderSource.joined(headers, name), headers, random);
  }

  /**
   * As {@link #decide(HttpHeaders, RandomSource)}, with {@code request} resolving the
   * pseudo-headers for the {@code headers} matchers (see {@link HeaderSource#resolve}).
   */
  public FaultDecision decide(HeaderSource request, HttpHeaders headers, RandomSource random) {
    if (matchers.length > 0 && !HeaderMatcher.allMatch(matchers, request)) {
      return FaultDecision.NONE;
    }
    boolean active = false;
    long rateKbps = -1;
    if (ratePercent != null && ratePercent(headers).enabled(random)) {
      long kbps =
          fixedRateKbps != null
              ? fixedRateKbps
              : FaultHeaders.unsigned(headers.get(FaultHeaders.THROUGHPUT));
      if (kbps > 0 && (active = tryActivate(active))) {
        rateLimitsInjected.inc();
        rateKbps = kbps;
      }
    }
    String downstream =
        downstreamClusterStats ? headers.get(FaultHeaders.DOWNSTREAM_CLUSTER) : null;
    long delayMillis = -1;
    if (delay != null && delayPercent(headers).enabled(random)) {
      long ms =
          switch (delay) {
            case FixedDelay f -> f.millis();
            case HeaderDelay h -> FaultHeaders.unsigned(headers.get(FaultHeaders.DELAY));
          };
      if (ms > 0 && (active = tryActivate(active))) {
        delayMillis = ms;
        delaysInjected.inc();
        countDownstream(downstream, "delays_injected");
      }
    }
    FaultDecision.Abort chosen = null;
    if (abort != null && abortPercent(headers).enabled(random)) {
      FaultDecision.Abort a =
          switch (abort) {
            case FixedAbort f -> f.abort();
            case HeaderAbort h -> headerAbort(headers);
          };
      if (a != null && (active = tryActivate(active))) {
        chosen = a;
        abortsInjected.inc();
        countDownstream(downstream, "aborts_injected");
      }
    }
    if (!active) {
      return FaultDecision.NONE;
    }
    return new FaultDecision(delayMillis, chosen, rateKbps, activeFaults);
  }

  private Percent delayPercent(HttpHeaders headers) {
    return delay instanceof HeaderDelay
        ? delayPercent.withHeader(headers, FaultHeaders.DELAY_PERCENTAGE)
        : delayPercent;
  }

  private Percent abortPercent(HttpHeaders headers) {
    return abort instanceof HeaderAbort
        ? abortPercent.withHeader(headers, FaultHeaders.ABORT_PERCENTAGE)
        : abortPercent;
  }

  private Percent ratePercent(HttpHeaders headers) {
    return fixedRateKbps == null
        ? ratePercent.withHeader(headers, FaultHeaders.THROUGHPUT_PERCENTAGE)
        : ratePercent;
  }

  /** Envoy: an HTTP status in [200, 600) wins; otherwise a gRPC status answers HTTP 200. */
  private static FaultDecision.Abort headerAbort(HttpHeaders headers) {
    long http = FaultHeaders.unsigned(headers.get(FaultHeaders.ABORT));
    if (http >= 200 && http < 600) {
      return new FaultDecision.Abort((int) http, -1);
    }
    long grpc = FaultHeaders.unsigned(headers.get(FaultHeaders.ABORT_GRPC));
    if (grpc >= 0 && grpc <= Integer.MAX_VALUE) {
      return new FaultDecision.Abort(200, (int) grpc);
    }
    return null;
  }

  /** One active fault per request; the overflow check is as fuzzy as Envoy's (no CAS). */
  private boolean tryActivate(boolean alreadyActive) {
    if (alreadyActive) {
      return true;
    }
    if (activeFaults.value() >= maxActiveFaults) {
      overflow.inc();
      return false;
    }
    activeFaults.inc();
    return true;
  }

  private void countDownstream(String downstream, String stat) {
    if (downstream != null && !downstream.isEmpty()) {
      // Only when a fault is injected for a request that names its cluster, as Envoy does.
      stats.counter(prefix + downstream + "." + stat).inc();
    }
  }
}
