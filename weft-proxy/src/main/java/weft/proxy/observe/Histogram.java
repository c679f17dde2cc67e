package weft.proxy.observe;

import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * A latency distribution in milliseconds, e.g. {@code cluster.backend.upstream_rq_time}. Recording
 * is wait-free; reading takes a copy.
 */
public final class Histogram {
  private final String name;
  private final ConcurrentHistogram histogram = new ConcurrentHistogram(3_600_000L, 2);
  // Exact sum for Prometheus' _sum (HdrHistogram only keeps bucketed values).
  private final LongAdder sum = new LongAdder();

  Histogram(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void recordMillis(long millis) {
    long clamped = Math.max(0, Math.min(millis, 3_600_000L));
    histogram.recordValue(clamped);
    sum.add(clamped);
  }

  /** The sum of every recorded value, in milliseconds. */
  public long sumMillis() {
    return sum.sum();
  }

  /** A consistent copy for reporting. */
  public org.HdrHistogram.Histogram snapshot() {
    return histogram.copy();
  }
}
