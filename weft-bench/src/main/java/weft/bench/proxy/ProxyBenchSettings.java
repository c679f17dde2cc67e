package weft.bench.proxy;

import java.time.Duration;
import java.util.List;

/**
 * What {@code weft bench proxy} runs. {@code duration} is the measured time per path, split evenly
 * over its measurements (closed loop 100 B and 16 KiB, then each rate over HTTP/1.1 and h2c);
 * {@code weftCommand} starts a weft process when followed by {@code proxy -c FILE --concurrency N}.
 */
public record ProxyBenchSettings(Duration duration, int connections, List<Integer> rates, List<String> weftCommand) {
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
    rates = List.copyOf(rates);
    weftCommand = List.copyOf(weftCommand);
  }

  Duration perMeasurement() {
    int count = 2 + 2 * rates.size();
    return max(duration.dividedBy(count), Duration.ofMillis(200));
  }

  Duration warmup() {
    return max(duration.dividedBy(10), Duration.ofMillis(200));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }
}
