package weft.bench.proxy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What {@code weft bench proxy} runs. {@code duration} is the measured time per path, split evenly
 * over its measurements (closed loop 100 B and 16 KiB over HTTP/1.1, 100 B over h2c when h2load is
 * used, then each rate over HTTP/1.1 and h2c); {@code weftCommand} starts a weft process when
 * followed by {@code proxy -c FILE --concurrency N}; {@code usePeers} false leaves nginx, HAProxy, wrk
 * and h2load out even when installed (built-in backend and generators only).
 */
public record ProxyBenchSettings(Duration duration, int connections, List<Integer> rates, List<String> weftCommand,
    Set<BenchPath> paths, boolean usePeers) {
  public ProxyBenchSettings {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
    if (connections < 1) {
      throw new IllegalArgumentException("connections must be at least 1, got " + connections);
    }
    if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) {
      throw new IllegalArgumentException("rates must be positive requests per second, got " + rates);
    }
    if (paths.isEmpty()) {
      throw new IllegalArgumentException("paths must name at least one path, got none");
    }
    rates = List.copyOf(rates);
    weftCommand = List.copyOf(weftCommand);
    paths = java.util.Collections.unmodifiableSet(EnumSet.copyOf(paths));
  }

  /** Every path, peers when installed. */
  public ProxyBenchSettings(Duration duration, int connections, List<Integer> rates, List<String> weftCommand) {
    this(duration, connections, rates, weftCommand, EnumSet.allOf(BenchPath.class), true);
  }

  /** The time of each of a path's {@code closedLoops + 2 * rates} measurements (at least 200 ms). */
  Duration perMeasurement(int closedLoops) {
    int count = closedLoops + 2 * rates.size();
    return max(duration.dividedBy(count), Duration.ofMillis(200));
  }

  Duration warmup() {
    return max(duration.dividedBy(10), Duration.ofMillis(200));
  }

  /**
   * Responses a path must have answered before it is measured: 2,000 (enough for the JIT to compile
   * weft's request path) from a 20 s duration up, fewer for shorter smoke runs (100 per second of
   * duration, at least 200), which only check that everything works.
   */
  long warmResponses() {
    return Math.max(200, Math.min(2_000, duration.toMillis() / 10));
  }

  /** Connections a proxy or backend must accept: the generator's plus upstream pools, with room to spare. */
  int maxConnections() {
    return Math.max(1024, 4 * connections + 64);
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
