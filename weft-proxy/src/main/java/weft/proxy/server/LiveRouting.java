package weft.proxy.server;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.http.DrainSignal;
import weft.proxy.route.RouteTable;
import weft.proxy.router.ConfigRef;
import weft.proxy.router.UpstreamTargets;

/**
 * What outlives one compiled xDS config so that RDS, CDS and EDS updates reach established
 * connections without rebuilding their listener (Envoy's behaviour): one {@link ConfigRef} per RDS
 * route config name, one for the cluster set routers forward to and one for the cluster manager
 * tcp_proxy reads. A compile {@link #stage stages} its values; {@link Staged#publish} puts them in
 * force when the config is applied, so a rejected or warming config changes nothing.
 *
 * <p>Threading: staged and published by the xDS thread; the references are read by event loops.
 */
public final class LiveRouting {
  private final Map<String, ConfigRef<RouteTable>> rds = new ConcurrentHashMap<>();
  private final ConfigRef<UpstreamTargets> targets = new ConfigRef<>(null);
  private final ConfigRef<ClusterManager> clusters = new ConfigRef<>(null);

  /** The values of one compile, for the route config names {@code rdsNames} loaded by RDS. */
  public Staged stage(Set<String> rdsNames) {
    return new Staged(Set.copyOf(rdsNames));
  }

  /** The route table of the RDS route config {@code name} in force, or null (for tests). */
  public RouteTable routes(String name) {
    ConfigRef<RouteTable> r = rds.get(name);
    return r == null ? null : r.get();
  }

  /** One compile's route tables, clusters and per-listener drain signals. */
  public final class Staged {
    private final Set<String> rdsNames;
    private final Map<String, RouteConfiguration> protos = new HashMap<>();
    private final Map<String, RouteTable> tables = new HashMap<>();
    private final Map<String, DrainSignal> drains = new HashMap<>();
    private UpstreamTargets stagedTargets;
    private ClusterManager stagedClusters;

    private Staged(Set<String> rdsNames) {
      this.rdsNames = rdsNames;
    }

    /** Whether HCMs with a route config named {@code name} take it from RDS. */
    boolean isRds(String name) {
      return rdsNames.contains(name);
    }

    /**
     * The reference an HCM routes through for RDS route config {@code rc}, compiled as {@code
     * table}. Two HCMs naming the same route config share it; an inline route config with the name
     * of an RDS one and other content is a problem (one reference per name).
     */
    ConfigRef<RouteTable> routes(RouteConfiguration rc, RouteTable table, ConfigPath path,
        ConfigProblems problems) {
      RouteConfiguration seen = protos.putIfAbsent(rc.getName(), rc);
      if (seen != null && !seen.equals(rc)) {
        problems.add(path.field("name"), "route config '" + rc.getName()
            + "' differs from the rds route config of that name");
      }
      tables.putIfAbsent(rc.getName(), table);
      return rds.computeIfAbsent(rc.getName(), n -> new ConfigRef<>(null));
    }

    /** The cluster set of this compile, keeping the targets of clusters taken over running. */
    ConfigRef<UpstreamTargets> targets(ClusterManager manager) {
      if (stagedClusters != manager) {
        stagedClusters = manager;
        stagedTargets = new UpstreamTargets(manager, targets.get());
      }
      return targets;
    }

    /** The cluster manager tcp_proxy looks clusters up in. */
    ConfigRef<ClusterManager> clusters() {
      return clusters;
    }

    /** The drain signal of the HTTP connections a listener of this compile accepts. */
    public DrainSignal drain(String listener) {
      return drains.computeIfAbsent(listener, n -> new DrainSignal());
    }

    /** Puts this compile's route tables and clusters in force (the xDS thread, on apply). */
    public void publish(ClusterManager manager) {
      tables.forEach((name, table) -> rds.get(name).publish(table));
      // names no longer loaded keep their last table for the connections still holding them
      rds.keySet().retainAll(tables.keySet());
      targets.publish(stagedClusters == manager && stagedTargets != null
          ? stagedTargets : new UpstreamTargets(manager, targets.get()));
      clusters.publish(manager);
    }
  }
}
