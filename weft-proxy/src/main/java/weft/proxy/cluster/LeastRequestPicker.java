package weft.proxy.cluster;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * LEAST_REQUEST (arch_overview/upstream/load_balancing/load_balancers). Equal weights: pick
 * {@code choice_count} hosts at random and keep the one with the fewest active requests (P2C).
 * Unequal weights: Envoy weighs each host by {@code weight / (active_requests + 1)^bias}; here a host
 * is drawn with probability proportional to that dynamic weight (O(hosts) per pick, lock-free,
 * instead of Envoy's per-worker EDF scheduler).
 */
final class LeastRequestPicker implements HostPicker {
  private final Host[] hosts;
  private final int choiceCount;
  private final double bias;
  private final boolean equalWeights;

  LeastRequestPicker(List<Host> hosts, int choiceCount, double bias) {
    this.hosts = hosts.toArray(Host[]::new);
    this.choiceCount = choiceCount;
    this.bias = bias;
    this.equalWeights = hosts.stream().mapToInt(Host::weight).distinct().count() <= 1;
  }

  @Override
  public Host pick(long hash, int attempt) {
    int n = hosts.length;
    if (n == 0) {
      return null;
    }
    ThreadLocalRandom r = ThreadLocalRandom.current();
    if (equalWeights) {
      Host best = null;
      for (int i = 0; i < choiceCount; i++) {
        Host c = hosts[r.nextInt(n)];
        if (best == null || c.activeRequests() < best.activeRequests()) {
          best = c;
        }
      }
      return best;
    }
    // two passes instead of an array per pick; counts moving in between only shift the draw
    double total = 0;
    for (Host h : hosts) {
      total += effectiveWeight(h);
    }
    double x = r.nextDouble(total);
    for (int i = 0; i < n; i++) {
      x -= effectiveWeight(hosts[i]);
      if (x < 0) {
        return hosts[i];
      }
    }
    return hosts[n - 1];
  }

  private double effectiveWeight(Host h) {
    int active = Math.max(0, h.activeRequests());
    if (bias == 0) {
      return h.weight();
    }
    if (bias == 1.0) {
      return h.weight() / (active + 1.0);
    }
    return h.weight() / Math.pow(active + 1.0, bias);
  }
}
