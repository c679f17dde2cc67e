package weft.proxy.tcp;

import com.google.protobuf.Duration;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.WeightedCluster;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import java.util.concurrent.ThreadLocalRandom;
import weft.proxy.cluster.UpstreamCluster;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.StatsStore;

/**
 * A compiled {@code envoy.filters.network.tcp_proxy}: the terminal network filter that relays a
 * downstream connection's bytes to one upstream host of a cluster and back, untouched (so TLS
 * passes through with its SNI when the chain does not terminate it). Immutable and shared by the
 * chain's connections; {@link #newHandler()} makes each connection's relay.
 *
 * <p>Honoured: {@code stat_prefix}, {@code cluster}, {@code weighted_clusters} (a random weighted
 * pick per connection), {@code idle_timeout} (default 1 h; 0 disables; counts bytes in both
 * directions), {@code max_downstream_connection_duration} (unset or 0: unlimited) and
 * {@code max_connect_attempts} (default 1; each attempt picks a host again).
 * {@code access_log} is accepted only when the caller compiles it and passes a
 * {@link SessionObserver}, which gets a {@link TcpSession} for each finished connection.
 */
public final class TcpProxy {
  /** Finds a cluster by name when a connection starts, e.g. {@code ClusterManager::get}. */
  @FunctionalInterface
  public interface ClusterLookup {
    /** The cluster, or null when there is none by that name (counted as no route). */
    UpstreamCluster get(String name);
  }

  /** Receives each finished connection (e.g. to write the filter's access logs); any event loop. */
  @FunctionalInterface
  public interface SessionObserver {
    void onClose(TcpSession session);
  }

  static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 3_600_000L;

  private final String statPrefix;
  private final String[] clusters;
  private final int[] cumulativeWeights;
  private final long idleTimeoutMillis;
  private final long maxDurationMillis;
  private final int maxConnectAttempts;
  private final ClusterLookup lookup;
  private final TcpProxyStats stats;
  private final StatsStore store;
  private final SessionObserver observer;

  private TcpProxy(String statPrefix, String[] clusters, int[] cumulativeWeights, long idleTimeoutMillis,
      long maxDurationMillis, int maxConnectAttempts, ClusterLookup lookup, TcpProxyStats stats, StatsStore store,
      SessionObserver observer) {
    this.store = store;
    this.observer = observer;
    this.statPrefix = statPrefix;
    this.clusters = clusters;
    this.cumulativeWeights = cumulativeWeights;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.maxDurationMillis = maxDurationMillis;
    this.maxConnectAttempts = maxConnectAttempts;
    this.lookup = lookup;
    this.stats = stats;
  }

  /** Compiles the filter config without access logs; returns null after recording problems. */
  public static TcpProxy compile(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy p,
      ConfigPath path, ConfigProblems problems, ClusterLookup clusters, StatsStore stats) {
    return compile(p, path, problems, clusters, stats, null);
  }

  /**
   * Compiles the filter config; returns null after recording problems. {@code observer} (may be
   * null) receives every finished connection; the caller compiles {@code access_log} into it, and
   * without an observer a configured {@code access_log} is refused.
   */
  public static TcpProxy compile(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy p,
      ConfigPath path, ConfigProblems problems, ClusterLookup clusters, StatsStore stats,
      SessionObserver observer) {
    int before = problems.list().size();
    if (observer == null) {
      SupportedFields.check(p, path, problems,
          "stat_prefix", "cluster", "weighted_clusters", "idle_timeout", "max_connect_attempts",
          "max_downstream_connection_duration");
    } else {
      SupportedFields.check(p, path, problems,
          "stat_prefix", "cluster", "weighted_clusters", "idle_timeout", "max_connect_attempts",
          "max_downstream_connection_duration", "access_log");
    }
    if (p.getStatPrefix().isEmpty()) {
      problems.add(path.field("stat_prefix"), "must not be empty");
    }
    String[] names = new String[0];
    int[] cumulative = new int[0];
    switch (p.getClusterSpecifierCase()) {
      case CLUSTER -> {
        if (p.getCluster().isEmpty()) {
          problems.add(path.field("cluster"), "must not be empty");
        }
        names = new String[] {p.getCluster()};
        cumulative = new int[] {1};
      }
      case WEIGHTED_CLUSTERS -> {
        ConfigPath wp = path.field("weighted_clusters");
        WeightedCluster w = p.getWeightedClusters();
        SupportedFields.check(w, wp, problems, "clusters");
        if (w.getClustersCount() == 0) {
          problems.add(wp.field("clusters"), "at least one cluster is required");
        }
        names = new String[w.getClustersCount()];
        cumulative = new int[w.getClustersCount()];
        long total = 0;
        for (int i = 0; i < w.getClustersCount(); i++) {
          var cw = w.getClusters(i);
          ConfigPath cp = wp.field("clusters").index(i);
          SupportedFields.check(cw, cp, problems, "name", "weight");
          if (cw.getName().isEmpty()) {
            problems.add(cp.field("name"), "must not be empty");
          }
          total += cw.getWeight();
          names[i] = cw.getName();
          cumulative[i] = (int) Math.min(Integer.MAX_VALUE, total);
        }
        if (w.getClustersCount() > 0 && total == 0) {
          problems.add(wp.field("clusters"), "weights sum to 0 (expected: > 0)");
        } else if (total > Integer.MAX_VALUE) {
          problems.add(wp.field("clusters"), "weights sum to " + total + " (expected: <= " + Integer.MAX_VALUE + ")");
        }
      }
      case CLUSTERSPECIFIER_NOT_SET -> problems.add(path,
          "one of cluster or weighted_clusters is required");
    }
    long idle = DEFAULT_IDLE_TIMEOUT_MILLIS;
    if (p.hasIdleTimeout()) {
      Duration d = p.getIdleTimeout();
      if (d.getSeconds() < 0 || d.getNanos() < 0) {
        problems.add(path.field("idle_timeout"), "must not be negative");
      }
      idle = d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
    long maxDuration = 0;
    if (p.hasMaxDownstreamConnectionDuration()) {
      Duration d = p.getMaxDownstreamConnectionDuration();
      if (d.getSeconds() < 0 || d.getNanos() < 0) {
        problems.add(path.field("max_downstream_connection_duration"), "must not be negative");
      }
      maxDuration = d.getSeconds() * 1000 + d.getNanos() / 1_000_000;
    }
    int attempts = 1;
    if (p.hasMaxConnectAttempts()) {
      attempts = p.getMaxConnectAttempts().getValue();
      if (attempts < 1) {
        problems.add(path.field("max_connect_attempts"), attempts + " is too small (expected: >= 1)");
      }
    }
    if (problems.list().size() > before) {
      return null;
    }
    return new TcpProxy(p.getStatPrefix(), names, cumulative, idle, maxDuration, attempts, clusters,
        TcpProxyStats.create(stats, p.getStatPrefix()), stats, observer);
  }

  /** A new relay for one downstream connection: add it last in the connection's pipeline. */
  public ChannelHandler newHandler() {
    return new TcpRelay(this);
  }

  /** Adds the relay to a connection whose filter chain was just selected (network filter install). */
  public void install(Channel downstream) {
    downstream.pipeline().addLast("tcp_proxy", newHandler());
  }

  public String statPrefix() {
    return statPrefix;
  }

  String pickCluster() {
    if (clusters.length == 1) {
      return clusters[0];
    }
    int r = ThreadLocalRandom.current().nextInt(cumulativeWeights[cumulativeWeights.length - 1]);
    for (int i = 0; i < cumulativeWeights.length; i++) {
      if (r < cumulativeWeights[i]) {
        return clusters[i];
      }
    }
    return clusters[clusters.length - 1];
  }

  UpstreamCluster cluster(String name) {
    return lookup.get(name);
  }

  long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** {@code max_downstream_connection_duration} in ms; 0: unlimited. */
  long maxDurationMillis() {
    return maxDurationMillis;
  }

  int maxConnectAttempts() {
    return maxConnectAttempts;
  }

  /** {@code cluster.<name>.<stat>} for the cluster stats only tcp_proxy raises (rare paths). */
  weft.proxy.observe.Counter clusterCounter(UpstreamCluster cluster, String stat) {
    return store.counter("cluster." + cluster.name() + "." + stat);
  }

  SessionObserver observer() {
    return observer;
  }

  TcpProxyStats stats() {
    return stats;
  }
}
