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
import io.envoyproxy.envoy.config.core.v3.TypedExtensionConfig;
import weft.proxy.filter.fault.FaultFilterConfig;
import weft.proxy.filter.rbac.RbacFilterConfig;
import weft.proxy.http.FaultHttpFilter;
import weft.proxy.http.RbacHttpFilter;
import weft.proxy.listener.FilterChainMatcher;
import weft.proxy.listener.RbacNetworkHandler;
import weft.proxy.listener.TlsInspector;
import weft.proxy.observe.AccessLogWriter;
import weft.proxy.observe.AccessLogger;
import weft.proxy.observe.AccessLogs;
import weft.proxy.observe.GrpcAccessLogSink;
import weft.proxy.observe.GrpcAccessLogs;
import weft.proxy.tcp.TcpProxy;
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
  private final weft.proxy.router.ConfigRef<UpstreamTargets> targets;
  private final UpstreamPools pools;
  private final DrainSignal drain;
  // xDS: route tables and clusters swapped under established connections; null for a file config
  private final LiveRouting.Staged live;
  private final GrpcAccessLogSink.Generation grpcGeneration;
  private final Path baseDir;
  private final java.util.Set<String> declaredClusters;
  private final AccessLogWriter accessLogWriter;
  private final GrpcAccessLogs.Context grpcLogs;

  ProxyExtensions(StatsStore stats, ClusterManager clusters, UpstreamPools pools, DrainSignal drain,
      Path baseDir, java.util.Set<String> declaredClusters, AccessLogWriter accessLogWriter,
      GrpcAccessLogSink.Generation grpcGeneration) {
    this(stats, clusters, pools, drain, baseDir, declaredClusters, accessLogWriter, grpcGeneration,
        null);
  }

  ProxyExtensions(StatsStore stats, ClusterManager clusters, UpstreamPools pools, DrainSignal drain,
      Path baseDir, java.util.Set<String> declaredClusters, AccessLogWriter accessLogWriter,
      GrpcAccessLogSink.Generation grpcGeneration, LiveRouting.Staged live) {
    this.accessLogWriter = accessLogWriter;
    this.grpcGeneration = grpcGeneration;
    this.grpcLogs = new GrpcAccessLogs.Context(grpcGeneration, this::grpcCollector);
    this.declaredClusters = declaredClusters;
    this.stats = stats;
    this.clusters = clusters;
    this.live = live;
    this.targets = live == null ? weft.proxy.router.ConfigRef.fixed(new UpstreamTargets(clusters))
        : live.targets(clusters);
    this.pools = pools;
    this.drain = drain;
    this.baseDir = baseDir;
  }

  /**
   * xDS: the extensions for listener {@code name}, whose HTTP connections drain with the
   * listener's own signal (a listener kept across an update keeps its connections undrained).
   */
  ProxyExtensions forListener(String name) {
    return live == null ? this : new ProxyExtensions(stats, clusters, pools, live.drain(name),
        baseDir, declaredClusters, accessLogWriter, grpcGeneration, live);
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
      HttpCodecs codecs = new HttpCodecs(cfg, drain);
      return ch -> codecs.install(ch.pipeline());
    }
    if (f.getName().equals(TCP_PROXY) || type.endsWith("tcp_proxy.v3.TcpProxy")) {
      if (!last) {
        problems.add(path, TCP_PROXY + " must be the last network filter");
      }
      var p = ProxyTypes.unpack(f.getTypedConfig(),
          io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.class, path, problems);
      if (p == null) {
        return null;
      }
      TcpProxy.SessionObserver observer = null;
      if (p.getAccessLogCount() > 0) {
        AccessLogger logger = AccessLogs.compile(p.getAccessLogList(),
            path.field("typed_config").field("access_log"), problems, accessLogWriter, grpcLogs);
        observer = session -> logger.log(new TcpAccessLogRecord(session));
      }
      // xDS: the cluster manager in force when a connection arrives (CDS/EDS swap it)
      TcpProxy tcp = TcpProxy.compile(p, path.field("typed_config"), problems,
          live == null ? clusters::get : name -> live.clusters().get().get(name), stats, observer);
      return tcp == null ? null : tcp::install;
    }
    if (f.getName().equals(NETWORK_RBAC) || type.endsWith("filters.network.rbac.v3.RBAC")) {
      var p = ProxyTypes.unpack(f.getTypedConfig(),
          io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class, path, problems);
      if (p == null) {
        return null;
      }
      RbacFilterConfig cfg = RbacFilterConfig.compileNetwork(p, stats, path.field("typed_config"), problems);
      // a chain may hold several network RBAC filters (one per policy layer, as Envoy allows): let
      // Netty name each handler, a fixed name fails the second one and closes every connection
      return cfg == null ? null : ch -> ch.pipeline().addLast(new RbacNetworkHandler(cfg));
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
    if (tls == null) {
      return null;
    }
    return new DownstreamTransport() {
      @Override
      public ChannelHandler newHandler(io.netty.buffer.ByteBufAllocator alloc) {
        return tls.newHandler(alloc);
      }

      @Override
      public boolean verifiesPeer() {
        return tls.verifiesClients();
      }
    };
  }

  @Override
  public Supplier<ChannelHandler> listenerFilter(ListenerFilter f, long timeoutMillis,
      boolean continueOnTimeout, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(f, path, problems, "name", "typed_config");
    boolean inspector = f.getName().equals("envoy.filters.listener.tls_inspector")
        || f.getTypedConfig().getTypeUrl().equals(TlsInspector.TYPE);
    if (!inspector) {
      problems.unsupported(path.field("name"), "listener filter " + f.getName());
      return null;
    }
    if (f.hasTypedConfig()) {
      TlsInspector.checkConfig(TypedExtensionConfig.newBuilder().setName(f.getName())
          .setTypedConfig(f.getTypedConfig()).build(), path, problems);
    }
    TlsInspector.Stats s = inspectorStats();
    return () -> new TlsInspector(s, timeoutMillis, continueOnTimeout);
  }

  private TlsInspector.Stats inspectorStats;

  private TlsInspector.Stats inspectorStats() {
    if (inspectorStats == null) {
      inspectorStats = TlsInspector.Stats.create(stats);
    }
    return inspectorStats;
  }

  @Override
  public ChainSelector selector(List<FilterChain> chains, FilterChain defaultChain, ConfigPath path,
      ConfigProblems problems) {
    FilterChainMatcher m = FilterChainMatcher.compile(chains, defaultChain, path, problems);
    if (m == null) {
      return ChainSelector.ONLY;
    }
    int defaultIndex = chains.size();
    return ch -> {
      int i = m.select(FilterChainMatcher.ConnectionInfo.of(ch, ch.attr(TlsInspector.RESULT).get()));
      return i == FilterChainMatcher.DEFAULT ? defaultIndex : i;
    };
  }

  @Override
  public HttpFilterFactory httpFilter(HttpFilter filter, String statPrefix, ConfigPath path,
      ConfigProblems problems) {
    String type = filter.hasTypedConfig() ? ProxyTypes.typeName(filter.getTypedConfig()) : "";
    if (filter.getName().equals("envoy.filters.http.rbac") || type.endsWith("filters.http.rbac.v3.RBAC")) {
      var p = ProxyTypes.unpack(filter.getTypedConfig(),
          io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.class, path, problems);
      if (p == null) {
        return null;
      }
      RbacFilterConfig cfg = RbacFilterConfig.compileHttp(p, statPrefix, stats,
          path.field("typed_config"), problems);
      return cfg == null ? null : RbacHttpFilter.factory(cfg);
    }
    if (filter.getName().equals("envoy.filters.http.fault") || type.endsWith("filters.http.fault.v3.HTTPFault")) {
      var p = ProxyTypes.unpack(filter.getTypedConfig(),
          io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault.class, path, problems);
      if (p == null) {
        return null;
      }
      FaultFilterConfig cfg = FaultFilterConfig.compile(p, statPrefix, stats,
          path.field("typed_config"), problems);
      return cfg == null ? null : FaultHttpFilter.factory(cfg);
    }
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
    var routes = live != null && live.isRds(rc.getName())
        ? live.routes(rc, table, rcPath, problems) : weft.proxy.router.ConfigRef.fixed(table);
    return new RouterConfig(routes, targets, pools, stats, hcm.getStatPrefix());
  }

  @Override
  public HcmConfig.StreamObserver accessLog(HttpConnectionManager hcm, ConfigPath path,
      ConfigProblems problems) {
    AccessLogger logger = AccessLogs.compile(hcm.getAccessLogList(), path, problems, accessLogWriter,
        grpcLogs);
    return logger == AccessLogger.NONE ? null : logger::log;
  }

  @Override
  public AccessLogger listenerAccessLog(List<io.envoyproxy.envoy.config.accesslog.v3.AccessLog> logs,
      ConfigPath path, ConfigProblems problems) {
    return AccessLogs.compile(logs, path, problems, accessLogWriter, grpcLogs);
  }

  /**
   * An {@code envoy_grpc} collector: a declared plaintext cluster of this config, whose hosts are
   * picked by its load balancer at each (re)connect.
   */
  private GrpcAccessLogs.Collector grpcCollector(String name, ConfigPath path,
      ConfigProblems problems) {
    if (!declaredClusters.contains(name)) {
      problems.add(path, "unknown cluster '" + name + "'");
      return null;
    }
    weft.proxy.cluster.UpstreamCluster c = clusters.get(name);
    if (c == null) {
      return null; // declared but invalid: the cluster has its own problem
    }
    io.netty.handler.ssl.SslContext tls = null;
    if (c.transport() instanceof weft.proxy.tls.UpstreamTls t) {
      tls = t.grpcContext();
    } else if (c.transport() != null) {
      problems.unsupported(path, "cluster '" + name + "' with a transport socket other than TLS for a "
          + "gRPC access log");
      return null;
    }
    return new GrpcAccessLogs.Collector(() -> {
      weft.proxy.cluster.Host h = c.choose(weft.proxy.cluster.LbContext.NONE);
      return h == null ? null : h.address();
    }, tls);
  }
}
