package weft.proxy.observe;

import org.HdrHistogram.ConcurrentHistogram;

/**
 * A latency distribution in milliseconds, e.g. {@code cluster.backend.upstream_rq_time}.
 * Recording is wait-free; reading takes a copy.
 */
public final class Histogram {
  private final String name;
  private final ConcurrentHistogram histogram = new ConcurrentHistogram(3_600_000L, 2);

  Histogram(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void recordMillis(long millis) {
    histogram.recordValue(Math.max(0, Math.min(millis, 3_600_000L)));
  }

  /** A consistent copy for reporting. */
  public org.HdrHistogram.Histogram snapshot() {
    return histogram.copy();
  }
}
