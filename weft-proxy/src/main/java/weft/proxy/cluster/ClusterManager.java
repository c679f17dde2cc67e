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

  private ClusterManager(Map<String, UpstreamCluster> clusters, List<UpstreamCluster> ordered) {
    this.clusters = clusters;
    this.ordered = ordered;
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
    ordered.forEach(c -> c.controlLoop().execute(c::start));
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
