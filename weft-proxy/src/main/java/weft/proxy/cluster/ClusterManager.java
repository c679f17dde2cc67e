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
  private final List<ClusterRuntime> runtimes;

  private ClusterManager(Map<String, UpstreamCluster> clusters, List<ClusterRuntime> runtimes) {
    this.clusters = clusters;
    this.runtimes = runtimes;
  }

  /**
   * @param path the path of the cluster list, e.g. {@code static_resources.clusters}; each cluster
   *     is reported at {@code path[i]}
   */
  public static ClusterManager create(
      List<Cluster> protos, ConfigPath path, ConfigProblems problems, ClusterContext ctx) {
    Map<String, UpstreamCluster> clusters = new LinkedHashMap<>();
    List<ClusterRuntime> runtimes = new java.util.ArrayList<>();
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
      runtimes.add(new ClusterRuntime(cluster));
    }
    return new ClusterManager(Map.copyOf(clusters), List.copyOf(runtimes));
  }

  /** The cluster named {@code name}, or null. */
  public UpstreamCluster get(String name) {
    return clusters.get(name);
  }

  public Collection<UpstreamCluster> clusters() {
    return runtimes.stream().map(ClusterRuntime::cluster).toList();
  }

  /**
   * Starts DNS refresh, health checks and outlier timers on the worker event loops. The returned
   * future completes when every STRICT_DNS cluster has finished its first lookups (Envoy's cluster
   * warming); a proxy may wait for it before opening listeners.
   */
  public CompletableFuture<Void> start() {
    runtimes.forEach(ClusterRuntime::start);
    return CompletableFuture.allOf(
        runtimes.stream().map(r -> r.cluster().initialized()).toArray(CompletableFuture[]::new));
  }

  @Override
  public void close() {
    runtimes.forEach(ClusterRuntime::close);
  }

  /** Envoy's admin {@code /clusters} text (see {@link ClustersDump}). */
  public String dumpClusters() {
    return ClustersDump.render(clusters());
  }
}
