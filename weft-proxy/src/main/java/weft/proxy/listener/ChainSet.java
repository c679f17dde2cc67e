package weft.proxy.listener;

/**
 * Sets of filter chain indexes as fixed-width bit words, for {@link FilterChainMatcher}: each
 * match level narrows the candidate set without allocating. All arrays of one matcher have the
 * same length.
 */
final class ChainSet {
  private ChainSet() {}

  static long[] empty(int chains) {
    return new long[Math.max(1, (chains + 63) >>> 6)];
  }

  static void add(long[] set, int chain) {
    set[chain >>> 6] |= 1L << (chain & 63);
  }

  static void fill(long[] set, int chains) {
    for (int i = 0; i < chains; i++) {
      add(set, i);
    }
  }

  /**
   * If {@code bucket} and {@code candidates} intersect, narrows {@code candidates} to the
   * intersection and returns true; otherwise leaves it unchanged and returns false.
   */
  static boolean narrow(long[] candidates, long[] bucket) {
    if (bucket == null) {
      return false;
    }
    boolean any = false;
    for (int i = 0; i < candidates.length; i++) {
      if ((candidates[i] & bucket[i]) != 0) {
        any = true;
        break;
      }
    }
    if (any) {
      for (int i = 0; i < candidates.length; i++) {
        candidates[i] &= bucket[i];
      }
    }
    return any;
  }

  /** The lowest index in the set, or -1 when empty. */
  static int first(long[] set) {
    for (int i = 0; i < set.length; i++) {
      if (set[i] != 0) {
        return (i << 6) + Long.numberOfTrailingZeros(set[i]);
      }
    }
    return -1;
  }
}
