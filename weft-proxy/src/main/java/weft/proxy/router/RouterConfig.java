package weft.proxy.router;

import weft.proxy.http.FilterCallbacks;
import weft.proxy.http.HttpFilter;
import weft.proxy.http.HttpFilterFactory;
import weft.proxy.observe.StatsStore;
import weft.proxy.route.RouteTable;
import weft.proxy.upstream.UpstreamPools;

/**
 * The compiled {@code envoy.filters.http.router} of one connection manager: its route table, the
 * clusters and pools it forwards to. Immutable; makes one {@link RouterFilter} per stream.
 */
public final class RouterConfig implements HttpFilterFactory {
  /** Request bodies up to this size are kept for retries and mirrors; larger ones stream. */
  static final int RETRY_BUFFER_LIMIT = 1 << 20;

  // read once per stream: RDS and CDS/EDS swap them under established connections
  final ConfigRef<RouteTable> routes;
  final ConfigRef<UpstreamTargets> targets;
  final UpstreamPools pools;
  final RouterStats stats;

  public RouterConfig(RouteTable routes, UpstreamTargets targets, UpstreamPools pools,
      StatsStore store, String statPrefix) {
    this(ConfigRef.fixed(routes), ConfigRef.fixed(targets), pools, store, statPrefix);
  }

  /** A router whose route table and clusters are swapped by xDS (see {@link ConfigRef}). */
  public RouterConfig(ConfigRef<RouteTable> routes, ConfigRef<UpstreamTargets> targets,
      UpstreamPools pools, StatsStore store, String statPrefix) {
    this.routes = routes;
    this.targets = targets;
    this.pools = pools;
    this.stats = new RouterStats(store, statPrefix);
  }

  @Override
  public HttpFilter create(FilterCallbacks callbacks) {
    return new RouterFilter(this, callbacks);
  }
}
