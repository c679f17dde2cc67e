package weft.proxy.xds;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Envoy's jittered exponential backoff for the xDS stream: the n-th retry waits a uniformly random
 * time in {@code [0, min(base * 2^n, max))}; a successful response resets it.
 */
public final class Backoff {
  private final long baseMillis;
  private final long maxMillis;
  private int attempt;

  public Backoff(Duration base, Duration max) {
    if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
      throw new IllegalArgumentException("backoff base " + base + " must be > 0 and <= max " + max);
    }
    this.baseMillis = base.toMillis();
    this.maxMillis = max.toMillis();
  }

  /** Envoy's defaults for management server reconnects: 500 ms base, 30 s cap. */
  public static Backoff envoyDefault() {
    return new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
  }

  /** The next wait; grows until the cap. */
  public Duration next() {
    long ceiling = attempt >= 30 ? maxMillis : Math.min(maxMillis, baseMillis << attempt);
    attempt++;
    return Duration.ofMillis(ThreadLocalRandom.current().nextLong(Math.max(1, ceiling)));
  }

  /** The ceiling the next wait is drawn under (for tests and logs). */
  public Duration ceiling() {
    return Duration.ofMillis(attempt >= 30 ? maxMillis : Math.min(maxMillis, baseMillis << attempt));
  }

  public void reset() {
    attempt = 0;
  }
}
