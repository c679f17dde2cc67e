package weft.proxy.filter.fault;

import java.util.concurrent.ThreadLocalRandom;

/** Random draws for percentage checks; tests pass a fixed sequence. */
@FunctionalInterface
public interface RandomSource {
  /** A uniformly distributed non-negative value. */
  long nextNonNegative();

  /** The production source: {@link ThreadLocalRandom}, lock-free on any event loop. */
  static RandomSource threadLocal() {
    return () -> ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
  }
}
