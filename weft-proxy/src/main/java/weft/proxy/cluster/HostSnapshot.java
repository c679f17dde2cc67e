package weft.proxy.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable view of a cluster's hosts, grouped by priority and locality, with the priority load
 * and a prebuilt picker per level. Rebuilt on the control loop whenever membership or health
 * changes, published through a volatile field, and read by {@link UpstreamCluster#choose} on any
 * event loop without locks.
 */
final class HostSnapshot {
  static final HostSnapshot EMPTY =
      new HostSnapshot(List.of(), new Level[0], new PriorityLoad(new int[0], new boolean[0]), false);

  final List<Host> hosts;
  final Level[] levels;
  final PriorityLoad load;
  final boolean usesHash;

  private HostSnapshot(List<Host> hosts, Level[] levels, PriorityLoad load, boolean usesHash) {
    this.hosts = hosts;
    this.levels = levels;
    this.load = load;
    this.usesHash = usesHash;
  }

  /** How hosts are grouped and balanced; fixed per cluster config. */
  record Shape(
      LbPolicy policy,
      int overprovisioningFactor,
      double panicThresholdPercent,
      boolean localityWeighted,
      Map<LocalityKey, Integer> localityWeights) {}

  /** A locality at one priority (the same locality may appear at several priorities). */
  record LocalityKey(Locality locality, int priority) {}

  static HostSnapshot build(List<Host> hosts, Shape shape) {
    if (hosts.isEmpty()) {
      return EMPTY;
    }
    int maxPriority = hosts.stream().mapToInt(Host::priority).max().orElse(0);
    Level[] levels = new Level[maxPriority + 1];
    int[] healthy = new int[levels.length];
    int[] total = new int[levels.length];
    for (int p = 0; p <= maxPriority; p++) {
      List<Host> all = new ArrayList<>();
      for (Host h : hosts) {
        if (h.priority() == p) {
          all.add(h);
        }
      }
      levels[p] = new Level(p, all, shape);
      healthy[p] = levels[p].healthy.size();
      total[p] = all.size();
    }
    PriorityLoad load =
        PriorityLoad.compute(
            healthy, total, shape.overprovisioningFactor(), shape.panicThresholdPercent());
    return new HostSnapshot(List.copyOf(hosts), levels, load, shape.policy().usesHash());
  }

  int healthyCount() {
    int n = 0;
    for (Level l : levels) {
      n += l.healthy.size();
    }
    return n;
  }

  /** One priority level: its hosts, the healthy ones, and how to pick among them. */
  static final class Level {
    final int priority;
    final List<Host> all;
    final List<Host> healthy;
    final HostPicker allPicker;
    final HostPicker healthyPicker;
    /** Locality choice for locality-weighted balancing; null when not configured. */
    final LocalityChoice localities;

    Level(int priority, List<Host> all, Shape shape) {
      this.priority = priority;
      this.all = List.copyOf(all);
      this.healthy = all.stream().filter(Host::healthy).toList();
      this.allPicker = shape.policy().picker(this.all);
      this.healthyPicker = shape.policy().picker(this.healthy);
      this.localities = shape.localityWeighted() ? new LocalityChoice(this, shape) : null;
    }

    /** A host in this level; {@code panic} means any host, healthy or not. */
    Host pick(boolean panic, long hash, int attempt) {
      if (panic) {
        return allPicker.pick(hash, attempt);
      }
      if (localities != null) {
        HostPicker p = localities.next();
        if (p != null) {
          return p.pick(hash, attempt);
        }
      }
      return healthyPicker.pick(hash, attempt);
    }
  }

  /**
   * Locality-weighted balancing (arch_overview/upstream/load_balancing/locality_weight): each
   * locality's effective weight is its {@code load_balancing_weight} times its availability, {@code
   * min(1, overprovisioning_factor * healthy / total)}; localities are visited in smooth weighted
   * round-robin order, then a host is picked among the locality's healthy hosts.
   */
  static final class LocalityChoice {
    private final HostPicker[] pickers;
    private final int[] order;
    private final StripedCursor cursor;

    LocalityChoice(Level level, Shape shape) {
      Map<Locality, List<Host>> byLocality = new LinkedHashMap<>();
      for (Host h : level.all) {
        byLocality.computeIfAbsent(h.locality(), k -> new ArrayList<>()).add(h);
      }
      pickers = new HostPicker[byLocality.size()];
      long[] weights = new long[byLocality.size()];
      int i = 0;
      for (Map.Entry<Locality, List<Host>> e : byLocality.entrySet()) {
        List<Host> all = e.getValue();
        List<Host> healthy = all.stream().filter(Host::healthy).toList();
        int weight =
            shape.localityWeights().getOrDefault(new LocalityKey(e.getKey(), level.priority), 0);
        double availability =
            Math.min(1.0, shape.overprovisioningFactor() / 100.0 * healthy.size() / all.size());
        // effective weights are real numbers; keep three decimals for the integer schedule
        weights[i] = Math.round(weight * availability * 1000);
        pickers[i] = shape.policy().picker(healthy);
        i++;
      }
      order = WeightedSequence.of(weights);
      cursor = new StripedCursor(order.length);
    }

    /** The next locality's picker, or null when no locality has an effective weight. */
    HostPicker next() {
      if (order.length == 0) {
        return null;
      }
      return pickers[order[(int) Long.remainderUnsigned(cursor.next(), order.length)]];
    }
  }
}
