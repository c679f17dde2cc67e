package weft.bench.load;

/**
 * What one wrk run printed. {@code requests} counts every complete response, {@code non2xx} those
 * with status 400 or more (wrk's "Non-2xx or 3xx responses"), {@code socketErrors} the sum of wrk's
 * connect, read, write and timeout errors. Latencies are in milliseconds, NaN when nothing completed
 * (closed loop: not corrected for coordinated omission, unlike {@link OpenLoop}).
 */
public record WrkReport(long requests, double seconds, double meanMillis, double p50Millis, double p90Millis,
    double p99Millis, long non2xx, long socketErrors) {
  /** The run in the harness's terms: ok responses, errors (bad statuses and socket errors) and time. */
  public ThroughputResult throughput() {
    return new ThroughputResult(requests - non2xx, non2xx + socketErrors, seconds);
  }
}
