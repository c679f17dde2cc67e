package weft.proxy.cluster;

import java.util.Arrays;

/**
 * A smooth weighted round-robin order (nginx's algorithm: each step every entry gains its weight,
 * the largest is taken and loses the total), precomputed once so that picking is one atomic
 * increment. Over one period each entry appears exactly weight/gcd times, interleaved as evenly as
 * Envoy's EDF scheduler spreads them.
 */
final class WeightedSequence {
  /** Longest period kept; heavier weight sets are scaled down (keeping every weight >= 1). */
  static final int MAX_PERIOD = 8192;

  private WeightedSequence() {}

  /** Indexes into {@code weights}, one period long; empty if every weight is 0. */
  static int[] of(long[] weights) {
    int n = weights.length;
    long[] w = Arrays.copyOf(weights, n);
    long g = 0;
    long total = 0;
    for (long x : w) {
      g = gcd(g, x);
      total += x;
    }
    if (total == 0) {
      return new int[0];
    }
    for (int i = 0; i < n; i++) {
      w[i] /= g;
    }
    total /= g;
    if (total > MAX_PERIOD) {
      double scale = (double) MAX_PERIOD / total;
      total = 0;
      for (int i = 0; i < n; i++) {
        if (w[i] > 0) {
          w[i] = Math.max(1, Math.round(w[i] * scale));
          total += w[i];
        }
      }
    }
    int[] seq = new int[(int) total];
    long[] current = new long[n];
    for (int s = 0; s < seq.length; s++) {
      int best = -1;
      for (int i = 0; i < n; i++) {
        if (w[i] == 0) {
          continue;
        }
        current[i] += w[i];
        if (best < 0 || current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      seq[s] = best;
    }
    return seq;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
