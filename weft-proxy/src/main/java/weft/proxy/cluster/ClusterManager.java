package weft.proxy.cluster;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * The proxy's upstream clusters, compiled from the bootstrap's {@code static_resources.clusters}.
 * A cluster with a config problem is left out (its problems are in {@code problems}); the others
 * are built. {@link #start()} begins DNS resolution, health checking and outlier timers; {@link
 * #close()} stops them.
 */
public final class ClusterManager implements AutoCloseable {
  private final Map<String, UpstreamCluster> clusters;
  private final List<UpstreamCluster> ordered;
  // for xDS updates: the proto each cluster was built from, and those taken over already started
  private final Map<String, Cluster> sources;
  private final java.util.Set<UpstreamCluster> inherited;
  // inherited clusters whose endpoints change when this manager starts (EDS updates in place)
  private final Map<UpstreamCluster, ClusterConfig> endpointUpdates;

  private ClusterManager(Map<String, UpstreamCluster> clusters, List<UpstreamCluster> ordered) {
    this(clusters, ordered, Map.of(), java.util.Set.of(), Map.of());
  }

  private ClusterManager(Map<String, UpstreamCluster> clusters, List<UpstreamCluster> ordered,
      Map<String, Cluster> sources, java.util.Set<UpstreamCluster> inherited,
      Map<UpstreamCluster, ClusterConfig> endpointUpdates) {
    this.clusters = clusters;
    this.ordered = ordered;
    this.sources = sources;
    this.inherited = inherited;
    this.endpointUpdates = endpointUpdates;
  }

  /**
   * Like {@link #create(List, ConfigPath, ConfigProblems, ClusterContext)}, but a cluster whose
   * proto is unchanged from {@code previous} is taken over as it is, running, with its host
   * health, outlier ejections and DNS state (an xDS update must not reset them). A STATIC
   * cluster whose proto differs only in {@code load_assignment} (an EDS update) is taken over too,
   * and {@link #start()} swaps its hosts in place, keeping the hosts still present. {@link
   * #start()} starts only the new ones; retire {@code previous} with {@link #closeUnshared}.
   */
  public static ClusterManager create(List<Cluster> protos, ConfigPath path,
      ConfigProblems problems, ClusterContext ctx, ClusterManager previous) {
    ClusterManager fresh = create(protos, path, problems, ctx);
    if (previous == null) {
      Map<String, Cluster> src = new java.util.HashMap<>();
      protos.forEach(c -> src.put(c.getName(), c));
      return new ClusterManager(fresh.clusters, fresh.ordered, Map.copyOf(src), java.util.Set.of(),
          Map.of());
    }
    Map<String, UpstreamCluster> byName = new LinkedHashMap<>();
    List<UpstreamCluster> ordered = new java.util.ArrayList<>();
    Map<String, Cluster> src = new java.util.HashMap<>();
    java.util.Set<UpstreamCluster> taken = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    Map<UpstreamCluster, ClusterConfig> updates = new java.util.IdentityHashMap<>();
    for (Cluster proto : protos) {
      UpstreamCluster built = fresh.clusters.get(proto.getName());
      if (built == null) {
        continue;
      }
      UpstreamCluster old = previous.clusters.get(proto.getName());
      Cluster before = previous.sources.get(proto.getName());
      UpstreamCluster use = old != null && proto.equals(before) ? old : built;
      if (use != old && old != null && endpointsOnly(before, proto)) {
        use = old;
        updates.put(old, built.config());
      }
      if (use == old) {
        taken.add(old);
      }
      byName.put(proto.getName(), use);
      ordered.add(use);
      src.put(proto.getName(), proto);
    }
    return new ClusterManager(Map.copyOf(byName), List.copyOf(ordered), Map.copyOf(src),
        java.util.Set.copyOf(taken), java.util.Collections.unmodifiableMap(updates));
  }

  /** Both STATIC and equal but for their endpoints: an EDS update. */
  private static boolean endpointsOnly(Cluster before, Cluster after) {
    return before != null && before.getType() == Cluster.DiscoveryType.STATIC
        && after.getType() == Cluster.DiscoveryType.STATIC
        && before.toBuilder().clearLoadAssignment().build()
            .equals(after.toBuilder().clearLoadAssignment().build());
  }

  /** Stops the clusters of this manager that {@code next} did not take over. */
  public void closeUnshared(ClusterManager next) {
    java.util.Set<UpstreamCluster> kept = java.util.Collections.newSetFromMap(
        new java.util.IdentityHashMap<>());
    if (next != null) {
      kept.addAll(next.ordered);
    }
    for (UpstreamCluster c : ordered) {
      if (!kept.contains(c)) {
        try {
          c.controlLoop().execute(c::close);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // the worker loops are already shut down, and with them every timer and check
        }
      }
    }
  }

  /**
   * @param path the path of the cluster list, e.g. {@code static_resources.clusters}; each cluster
   *     is reported at {@code path[i]}
   */
  public static ClusterManager create(
      List<Cluster> protos, ConfigPath path, ConfigProblems problems, ClusterContext ctx) {
    Map<String, UpstreamCluster> clusters = new LinkedHashMap<>();
    List<UpstreamCluster> ordered = new java.util.ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      ConfigPath p = path.index(i);
      int before = problems.list().size();
      ClusterConfig config = ClusterConfig.compile(protos.get(i), p, problems, ctx.transports());
      if (clusters.containsKey(config.name())) {
        problems.add(p.field("name"), "duplicate cluster name " + config.name());
      }
      if (problems.list().size() != before) {
        continue;
      }
      UpstreamCluster cluster = new UpstreamCluster(config, ctx, ctx.workers().next());
      clusters.put(config.name(), cluster);
      ordered.add(cluster);
    }
    return new ClusterManager(Map.copyOf(clusters), List.copyOf(ordered));
  }

  /** The cluster named {@code name}, or null. */
  public UpstreamCluster get(String name) {
    return clusters.get(name);
  }

  /** Every cluster, in config order. */
  public Collection<UpstreamCluster> clusters() {
    return ordered;
  }

  /**
   * Starts DNS refresh, health checks and outlier timers on the worker event loops. The returned
   * future completes when every STRICT_DNS cluster has finished its first lookups (Envoy's cluster
   * warming); a proxy may wait for it before opening listeners.
   */
  public CompletableFuture<Void> start() {
    // background work of a cluster runs on its control loop only
    ordered.stream().filter(c -> !inherited.contains(c))
        .forEach(c -> c.controlLoop().execute(c::start));
    endpointUpdates.forEach((c, next) -> c.controlLoop().execute(() -> c.updateEndpoints(next)));
    return CompletableFuture.allOf(
        ordered.stream().map(UpstreamCluster::initialized).toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    for (UpstreamCluster c : ordered) {
      try {
        c.controlLoop().execute(c::close);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // the worker loops are already shut down, and with them every timer and check
      }
    }
  }

  /**
   * Envoy's admin {@code /clusters?format=json} content as an {@code admin.v3.Clusters} message;
   * print it with protobuf's {@code JsonFormat}.
   */
  public io.envoyproxy.envoy.admin.v3.Clusters clustersStatus() {
    return ClustersDump.proto(clusters());
  }

  /** Envoy's admin {@code /clusters} text (see {@link ClustersDump}). */
  public String dumpClusters() {
    return ClustersDump.render(clusters());
  }
}
