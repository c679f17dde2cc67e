package weft.proxy.route;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryBackOff;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy.RetryHostPredicate;
import io.envoyproxy.envoy.extensions.retry.host.previous_hosts.v3.PreviousHostsPredicate;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.config.route.v3.RetryPolicy} (router docs, "x-envoy-retry-on" and
 * route_components.proto RetryPolicy). The router decides per attempt; this holds the parsed
 * conditions and limits and computes Envoy's fully jittered exponential back-off.
 *
 * @param retryOn the parsed {@code retry_on} conditions; empty means never retry
 * @param numRetries {@code num_retries}, default 1
 * @param perTryTimeoutMillis {@code per_try_timeout}; 0 means none (the route timeout applies)
 * @param perTryIdleTimeoutMillis {@code per_try_idle_timeout}; 0 means none
 * @param baseIntervalMillis back-off base, default 25 ms
 * @param maxIntervalMillis back-off cap, default 10 x base
 * @param retriableStatusCodes for {@link RetryOn#RETRIABLE_STATUS_CODES}
 * @param avoidPreviousHosts the {@code previous_hosts} retry host predicate is configured
 * @param hostSelectionRetryMaxAttempts {@code host_selection_retry_max_attempts}, default 1
 */
public record RetryPolicy(
    Set<RetryOn> retryOn,
    int numRetries,
    long perTryTimeoutMillis,
    long perTryIdleTimeoutMillis,
    long baseIntervalMillis,
    long maxIntervalMillis,
    Set<Integer> retriableStatusCodes,
    boolean avoidPreviousHosts,
    long hostSelectionRetryMaxAttempts) {

  /** Retry conditions, under their {@code x-envoy-retry-on} / {@code x-envoy-retry-grpc-on} names. */
  public enum RetryOn {
    FIVE_XX("5xx"),
    GATEWAY_ERROR("gateway-error"),
    RESET("reset"),
    RESET_BEFORE_REQUEST("reset-before-request"),
    CONNECT_FAILURE("connect-failure"),
    ENVOY_RATELIMITED("envoy-ratelimited"),
    RETRIABLE_4XX("retriable-4xx"),
    REFUSED_STREAM("refused-stream"),
    RETRIABLE_STATUS_CODES("retriable-status-codes"),
    HTTP3_POST_CONNECT_FAILURE("http3-post-connect-failure"),
    GRPC_CANCELLED("cancelled"),
    GRPC_DEADLINE_EXCEEDED("deadline-exceeded"),
    GRPC_INTERNAL("internal"),
    GRPC_RESOURCE_EXHAUSTED("resource-exhausted"),
    GRPC_UNAVAILABLE("unavailable");

    private final String token;

    RetryOn(String token) {
      this.token = token;
    }

    public String token() {
      return token;
    }

    static RetryOn byToken(String t) {
      for (RetryOn r : values()) {
        if (r.token.equals(t)) {
          return r;
        }
      }
      return null;
    }
  }

  /** No policy configured: nothing is retried (num_retries keeps Envoy's default of 1). */
  public static final RetryPolicy NONE =
      new RetryPolicy(Set.of(), 1, 0, 0, 25, 250, Set.of(), false, 1);

  public RetryPolicy {
    retryOn = Set.copyOf(retryOn);
    retriableStatusCodes = Set.copyOf(retriableStatusCodes);
  }

  public boolean retriesOn(RetryOn condition) {
    return retryOn.contains(condition);
  }

  /** Whether {@code status} is listed in retriable_status_codes and that condition is on. */
  public boolean retriesStatus(int status) {
    return retryOn.contains(RetryOn.RETRIABLE_STATUS_CODES) && retriableStatusCodes.contains(status);
  }

  /**
   * The back-off before retry number {@code retry} (1 for the first retry), given a uniformly
   * random {@code random}: Envoy's JitteredExponentialBackOffStrategy, a value in
   * [0, (2^n - 1) x base) capped at max, where n stops growing once that bound exceeds max.
   */
  public long backOffMillis(int retry, long random) {
    long bound = baseIntervalMillis;
    for (int n = 1; n <= retry; n++) {
      long b = ((1L << Math.min(n, 62)) - 1) * baseIntervalMillis;
      if (b < 0) {
        break; // overflow: the cap applies anyway
      }
      bound = b;
      if (b > maxIntervalMillis) {
        break;
      }
    }
    return Math.min(Long.remainderUnsigned(random, bound), maxIntervalMillis);
  }

  static RetryPolicy compile(
      io.envoyproxy.envoy.config.route.v3.RetryPolicy p, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(p, path, problems,
        "retry_on", "num_retries", "per_try_timeout", "per_try_idle_timeout", "retry_host_predicate",
        "host_selection_retry_max_attempts", "retriable_status_codes", "retry_back_off");
    EnumSet<RetryOn> on = EnumSet.noneOf(RetryOn.class);
    for (String raw : p.getRetryOn().split(",")) {
      String t = raw.strip().toLowerCase(Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      RetryOn r = RetryOn.byToken(t);
      if (r == null) {
        problems.add(path.field("retry_on"), "unknown or unsupported retry condition \"" + t + "\"");
      } else {
        on.add(r);
      }
    }
    int numRetries = p.hasNumRetries() ? p.getNumRetries().getValue() : 1;
    long perTry = millis(p.getPerTryTimeout(), path.field("per_try_timeout"), problems);
    long perTryIdle = millis(p.getPerTryIdleTimeout(), path.field("per_try_idle_timeout"), problems);
    long base = 25;
    long max = 250;
    if (p.hasRetryBackOff()) {
      RetryBackOff b = p.getRetryBackOff();
      ConfigPath bp = path.field("retry_back_off");
      SupportedFields.check(b, bp, problems, "base_interval", "max_interval");
      base = millis(b.getBaseInterval(), bp.field("base_interval"), problems);
      if (base <= 0) {
        problems.add(bp.field("base_interval"), "must be at least 1ms");
        base = 25;
      }
      max = b.hasMaxInterval() ? millis(b.getMaxInterval(), bp.field("max_interval"), problems) : 10 * base;
      if (max < base) {
        problems.add(bp.field("max_interval"), max + "ms is less than base_interval " + base + "ms");
      }
    }
    boolean previousHosts = false;
    for (int i = 0; i < p.getRetryHostPredicateCount(); i++) {
      RetryHostPredicate hp = p.getRetryHostPredicate(i);
      ConfigPath pp = path.field("retry_host_predicate").index(i);
      SupportedFields.check(hp, pp, problems, "name", "typed_config");
      boolean byType = hp.hasTypedConfig() && hp.getTypedConfig().is(PreviousHostsPredicate.class);
      boolean byName = !hp.hasTypedConfig() && hp.getName().equals("envoy.retry_host_predicates.previous_hosts");
      if (byType || byName) {
        previousHosts = true;
      } else {
        problems.unsupported(pp, "retry host predicate '" + hp.getName() + "'"
            + (hp.hasTypedConfig() ? " (" + hp.getTypedConfig().getTypeUrl() + ")" : ""));
      }
    }
    long hostAttempts = p.getHostSelectionRetryMaxAttempts() == 0 ? 1 : p.getHostSelectionRetryMaxAttempts();
    Set<Integer> codes = new java.util.HashSet<>();
    for (int c : p.getRetriableStatusCodesList()) {
      codes.add(c);
    }
    return new RetryPolicy(on, numRetries, perTry, perTryIdle, base, max, codes, previousHosts, hostAttempts);
  }

  /** A proto Duration in milliseconds (unset is 0); negative values are a problem. */
  static long millis(Duration d, ConfigPath path, ConfigProblems problems) {
    if (d.getSeconds() < 0 || d.getNanos() < 0) {
      problems.add(path, "negative duration " + d.getSeconds() + "s (expected: >= 0)");
      return 0;
    }
    return d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
  }
}
