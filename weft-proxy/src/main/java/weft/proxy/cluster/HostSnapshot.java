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
    List<List<Host>> byPriority = new ArrayList<>();
    int[] healthy = new int[maxPriority + 1];
    int[] total = new int[maxPriority + 1];
    for (int p = 0; p <= maxPriority; p++) {
      List<Host> all = new ArrayList<>();
      for (Host h : hosts) {
        if (h.priority() == p) {
          all.add(h);
          if (h.healthy()) {
            healthy[p]++;
          }
        }
      }
      byPriority.add(all);
      total[p] = all.size();
    }
    PriorityLoad load =
        PriorityLoad.compute(
            healthy, total, shape.overprovisioningFactor(), shape.panicThresholdPercent());
    Level[] levels = new Level[maxPriority + 1];
    for (int p = 0; p <= maxPriority; p++) {
      levels[p] = new Level(p, byPriority.get(p), shape, load.panic()[p]);
    }
    return new HostSnapshot(List.copyOf(hosts), levels, load, shape.policy().usesHash());
  }

  int healthyCount() {
    int n = 0;
    for (Level l : levels) {
      n += l.healthy.size();
    }
    return n;
  }

  /**
   * One priority level: its hosts, the healthy ones, and how to pick among them. Only the picker
   * the level needs is built: over all hosts when the level is in panic, else over the healthy ones.
   */
  static final class Level {
    final int priority;
    final List<Host> all;
    final List<Host> healthy;
    final boolean panic;
    /** All hosts when in panic, else the healthy ones. */
    private final HostPicker picker;
    /** Locality choice for locality-weighted balancing; null when not configured or in panic. */
    final LocalityChoice localities;

    Level(int priority, List<Host> all, Shape shape, boolean panic) {
      this.priority = priority;
      this.all = List.copyOf(all);
      this.healthy = all.stream().filter(Host::healthy).toList();
      this.panic = panic;
      this.picker = shape.policy().picker(panic ? this.all : this.healthy);
      this.localities = shape.localityWeighted() && !panic ? new LocalityChoice(this, shape) : null;
    }

    /** A host in this level: any host in panic (Envoy ignores localities then), else a healthy one. */
    Host pick(long hash, int attempt) {
      if (localities != null) {
        HostPicker p = localities.next();
        if (p != null) {
          return p.pick(hash, attempt);
        }
      }
      return picker.pick(hash, attempt);
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
