package weft.bench.controlplane;

import java.util.Arrays;

/**
 * Percentiles of a small sample (one figure per proxy per change: thousands, not millions), by the
 * nearest-rank method: the p-th percentile is the smallest value with at least p% of the sample at
 * or below it, so p99 of 100 values is the 99th smallest and every figure is one that was measured.
 */
final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  static Percentiles of(long[] values) {
    long[] copy = values.clone();
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  int count() {
    return sorted.length;
  }

  /** The nearest-rank {@code p}-th percentile (0 < p <= 100); NaN for an empty sample. */
  double percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile: " + p + " (expected: 0 < p <= 100)");
    }
    if (sorted.length == 0) {
      return Double.NaN;
    }
    // the epsilon keeps 99.9% of 1000 at rank 999 despite floating point (999.0000000000001)
    int rank = (int) Math.ceil(p * sorted.length / 100 - 1e-9);
    return sorted[Math.max(0, rank - 1)];
  }

  /** The largest value; NaN for an empty sample. */
  double max() {
    return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1];
  }

  /** The nearest-rank percentile of nanosecond values, in milliseconds. */
  double millis(double p) {
    return percentile(p) / 1e6;
  }

  double maxMillis() {
    return max() / 1e6;
  }
}
