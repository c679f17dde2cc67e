package weft.proxy.cluster;

import java.util.Arrays;

/**
 * Envoy's priority load (arch_overview/upstream/load_balancing/priority): how many percent of
 * requests each priority level receives given how many of its hosts are healthy, and which levels
 * are in panic (healthy_panic_threshold). Pure and allocation-light; computed when the host snapshot
 * is rebuilt, never per request.
 *
 * @param load percent of traffic per priority, summing to 100 (all zero when there are no hosts)
 * @param panic per priority: route to all of its hosts, healthy or not
 */
record PriorityLoad(int[] load, boolean[] panic) {

  /**
   * @param healthy healthy hosts per priority
   * @param total all hosts per priority
   * @param overprovisioningFactor percent, Envoy's default 140
   * @param panicThresholdPercent Envoy's default 50; 0 disables panic
   */
  static PriorityLoad compute(
      int[] healthy, int[] total, int overprovisioningFactor, double panicThresholdPercent) {
    int n = total.length;
    int[] health = new int[n];
    int sum = 0;
    for (int i = 0; i < n; i++) {
      if (total[i] > 0) {
        // integer health score, capped at 100, as Envoy computes it
        health[i] = (int) Math.min(100L, (long) overprovisioningFactor * healthy[i] / total[i]);
      }
      sum += health[i];
    }
    int normalizedTotal = Math.min(100, sum);
    int[] load = new int[n];
    boolean[] panic = new boolean[n];
    if (normalizedTotal == 0) {
      totalPanic(total, load, panic, panicThresholdPercent > 0);
      return new PriorityLoad(load, panic);
    }
    int remaining = 100;
    int firstAvailable = -1;
    for (int i = 0; i < n; i++) {
      if (firstAvailable < 0 && health[i] > 0) {
        firstAvailable = i;
      }
      load[i] = Math.min(remaining, health[i] * 100 / normalizedTotal);
      remaining -= load[i];
    }
    // integer rounding leaves a remainder; Envoy gives it to the first priority with health
    load[firstAvailable] += remaining;
    for (int i = 0; i < n; i++) {
      // with full total health no level panics, however unhealthy it is
      panic[i] =
          normalizedTotal < 100
              && total[i] > 0
              && 100.0 * healthy[i] / total[i] < panicThresholdPercent;
    }
    return new PriorityLoad(load, panic);
  }

  /** No healthy host anywhere: spread by host count, every level in panic (unless disabled). */
  private static void totalPanic(int[] total, int[] load, boolean[] panic, boolean panicEnabled) {
    long hosts = Arrays.stream(total).asLongStream().sum();
    if (hosts == 0) {
      return;
    }
    int remaining = 100;
    int firstNonEmpty = -1;
    for (int i = 0; i < total.length; i++) {
      if (firstNonEmpty < 0 && total[i] > 0) {
        firstNonEmpty = i;
      }
      load[i] = (int) (100L * total[i] / hosts);
      remaining -= load[i];
      panic[i] = panicEnabled;
    }
    load[firstNonEmpty] += remaining;
  }

  /** The priority for a value in [0, 100): walks the cumulative load as Envoy's choosePriority. */
  int choose(long hash) {
    int h = (int) Long.remainderUnsigned(hash, 100) + 1;
    int cumulative = 0;
    for (int i = 0; i < load.length; i++) {
      cumulative += load[i];
      if (h <= cumulative) {
        return i;
      }
    }
    return 0;
  }

  @Override
  public String toString() {
    return "PriorityLoad" + Arrays.toString(load) + " panic" + Arrays.toString(panic);
  }
}
