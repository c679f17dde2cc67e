package weft.bench.load;

import org.HdrHistogram.Histogram;

/**
 * An open-loop run. The histogram holds microseconds measured from each request's intended send
 * time (not the time it was actually written), so a stalled connection or server shows as latency
 * of every request that should have been sent meanwhile: coordinated-omission corrected.
 */
public record LatencyResult(Histogram micros, long intended, long ok, long errors, double seconds) {
  public double achievedRate() {
    return seconds <= 0 ? 0 : ok / seconds;
  }

  /** Percentile in milliseconds, or NaN when nothing completed. */
  public double percentileMillis(double p) {
    return micros.getTotalCount() == 0 ? Double.NaN : micros.getValueAtPercentile(p) / 1000.0;
  }
}
