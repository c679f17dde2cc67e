package weft.proxy.cluster;

import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A round-robin position per thread stripe, so that event loops choosing from the same cluster do
 * not all increment one contended counter. Like Envoy's per-worker load balancers, each stripe walks
 * the whole order from its own random start, so every stripe is fair on its own.
 */
final class StripedCursor {
  /** Longs per stripe: one 64-byte cache line each, against false sharing. */
  private static final int PAD = 8;
  /** A power of two of at least twice the cores, at most 64. */
  private static final int STRIPES = stripes(Runtime.getRuntime().availableProcessors());

  private final AtomicLongArray positions = new AtomicLongArray(STRIPES * PAD);

  StripedCursor(int period) {
    if (period > 0) {
      ThreadLocalRandom r = ThreadLocalRandom.current();
      for (int s = 0; s < STRIPES; s++) {
        positions.set(s * PAD, r.nextInt(period));
      }
    }
  }

  static int stripes(int cores) {
    int want = Math.min(64, 2 * Math.max(1, cores));
    return Integer.highestOneBit(want - 1) << 1;
  }

  /** The calling thread's next position (callers reduce it modulo their period). */
  long next() {
    int stripe = (int) (Thread.currentThread().threadId() & (STRIPES - 1));
    return positions.getAndIncrement(stripe * PAD);
  }
}
