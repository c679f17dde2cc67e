package weft.proxy.server;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.netty.channel.ChannelHandler;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.ProxyTypes;
import weft.proxy.config.SupportedFields;
import weft.proxy.http.DrainSignal;
import weft.proxy.http.HcmCompiler;
import weft.proxy.http.HcmConfig;
import weft.proxy.http.HttpCodecs;
import weft.proxy.http.HttpFilterFactory;
import weft.proxy.listener.ChainSelector;
import weft.proxy.listener.DownstreamTransport;
import weft.proxy.listener.ListenerCompiler;
import weft.proxy.listener.NetworkFilterFactory;
import weft.proxy.observe.StatsStore;
import weft.proxy.route.RouteTable;
import weft.proxy.router.RouterConfig;
import weft.proxy.router.UpstreamTargets;
import weft.proxy.tls.DownstreamTls;
import weft.proxy.upstream.UpstreamPools;

/**
 * The link stage: resolves every extension named in a bootstrap (network filters, HTTP filters,
 * transport sockets, listener filters) to weft's implementation, refusing the rest by path.
 */
final class ProxyExtensions implements ListenerCompiler.Extensions, HcmCompiler.Extensions {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";

  private final StatsStore stats;
  private final ClusterManager clusters;
  private final UpstreamTargets targets;
  private final UpstreamPools pools;
  private final DrainSignal drain;
  private final Path baseDir;
  private final java.util.Set<String> declaredClusters;

  ProxyExtensions(StatsStore stats, ClusterManager clusters, UpstreamPools pools, DrainSignal drain,
      Path baseDir, java.util.Set<String> declaredClusters) {
    this.declaredClusters = declaredClusters;
    this.stats = stats;
    this.clusters = clusters;
    this.targets = new UpstreamTargets(clusters);
    this.pools = pools;
    this.drain = drain;
    this.baseDir = baseDir;
  }

  @Override
  public NetworkFilterFactory networkFilter(Filter f, boolean last, ConfigPath path,
      ConfigProblems problems) {
    SupportedFields.check(f, path, problems, "name", "typed_config");
    String type = f.hasTypedConfig() ? ProxyTypes.typeName(f.getTypedConfig()) : "";
    if (f.getName().equals(HCM) || type.endsWith("http_connection_manager.v3.HttpConnectionManager")) {
      if (!last) {
        problems.add(path, HCM + " must be the last network filter");
      }
      HttpConnectionManager m = ProxyTypes.unpack(f.getTypedConfig(), HttpConnectionManager.class,
          path, problems);
      if (m == null) {
        return null;
      }
      HcmConfig cfg = HcmCompiler.compile(m, path.field("typed_config"), problems, stats, this);
      HttpCodecs codecs = new HttpCodecs(cfg, drain, null);
      return ch -> codecs.install(ch.pipeline());
    }
    problems.unsupported(path.field("name"), "network filter " + f.getName());
    return null;
  }

  @Override
  public DownstreamTransport transport(TransportSocket ts, ConfigPath path, ConfigProblems problems) {
    if (ts.getName().equals("envoy.transport_sockets.raw_buffer")) {
      return null;
    }
    DownstreamTls tls = DownstreamTls.compile(ts, path, problems, baseDir);
    return tls == null ? null : tls::newHandler;
  }

  @Override
  public Supplier<ChannelHandler> listenerFilter(ListenerFilter f, ConfigPath path,
      ConfigProblems problems) {
    problems.unsupported(path.field("name"), "listener filter " + f.getName());
    return null;
  }

  @Override
  public ChainSelector selector(List<FilterChain> chains, FilterChain defaultChain, ConfigPath path,
      ConfigProblems problems) {
    problems.add(path.field("filter_chains"),
        "filter_chain_match and multiple filter chains are not supported yet");
    return ChainSelector.ONLY;
  }

  @Override
  public HttpFilterFactory httpFilter(HttpFilter filter, String statPrefix, ConfigPath path,
      ConfigProblems problems) {
    problems.unsupported(path.field("name"), "http filter " + filter.getName());
    return null;
  }

  @Override
  public HttpFilterFactory router(HttpConnectionManager hcm, ConfigPath hcmPath, HttpFilter routerFilter,
      ConfigPath filterPath, ConfigProblems problems) {
    if (routerFilter.hasTypedConfig()) {
      var r = ProxyTypes.unpack(routerFilter.getTypedConfig(),
          io.envoyproxy.envoy.extensions.filters.http.router.v3.Router.class, filterPath, problems);
      if (r != null) {
        SupportedFields.check(r, filterPath.field("typed_config"), problems);
      }
    }
    if (!hcm.hasRouteConfig()) {
      return null;
    }
    ConfigPath rcPath = hcmPath.field("route_config");
    RouteTable table = RouteTable.compile(hcm.getRouteConfig(), rcPath, problems);
    if (table == null) {
      return null;
    }
    var rc = hcm.getRouteConfig();
    // Envoy validates clusters of statically loaded route configs unless told not to
    if (!rc.hasValidateClusters() || rc.getValidateClusters().getValue()) {
      for (String name : table.clusterNames()) {
        // a declared cluster that failed to compile has its own problem already
        if (!declaredClusters.contains(name)) {
          problems.add(rcPath, "route refers to unknown cluster '" + name + "'");
        }
      }
    }
    return new RouterConfig(table, targets, pools, stats, hcm.getStatPrefix());
  }

  @Override
  public HcmConfig.StreamObserver accessLog(HttpConnectionManager hcm, ConfigPath path,
      ConfigProblems problems) {
    problems.unsupported(path, "access_log");
    return null;
  }
}
