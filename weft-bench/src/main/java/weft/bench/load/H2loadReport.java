package weft.bench.load;

/**
 * What one h2load run printed. As h2load defines them: {@code succeeded} requests got a 2xx or 3xx
 * status; {@code failed} includes non-successful statuses and {@code errored} (network failures,
 * RST_STREAM), which is a subset of it. {@code meanMillis} is h2load's mean "time for request",
 * NaN when nothing completed.
 */
public record H2loadReport(double seconds, long done, long succeeded, long failed, long errored, double meanMillis) {
  public ThroughputResult throughput() {
    return new ThroughputResult(succeeded, failed, seconds);
  }
}
