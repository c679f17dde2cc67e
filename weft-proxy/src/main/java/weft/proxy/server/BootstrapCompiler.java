package weft.proxy.server;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import weft.proxy.admin.AdminConfig;
import weft.proxy.cluster.ClusterContext;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.cluster.UpstreamTransport;
import weft.proxy.cluster.UpstreamTransportFactory;
import weft.proxy.config.ConfigException;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.http.DrainSignal;
import weft.proxy.listener.ListenerCompiler;
import weft.proxy.listener.ListenerConfig;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.UpstreamTls;
import weft.proxy.upstream.UpstreamPools;

/**
 * The compile stage for a bootstrap: clusters first (routes are checked against them), then
 * listeners with their filter chains, admin and runtime. Every problem is collected and thrown
 * together, each naming its path.
 */
public final class BootstrapCompiler {
  private BootstrapCompiler() {}

  /**
   * What compiling needs from the running process. {@code grpcAccessLogs} is the generation the
   * gRPC access loggers of this compile join; null validates them without sending anything (for
   * callers that only check a config). {@code live} (xDS) stages route tables and clusters that
   * are swapped under established connections, and gives each listener its own drain signal;
   * null for a file config.
   */
  public record Context(io.netty.channel.EventLoopGroup workers, StatsStore stats,
      UpstreamPools pools, DrainSignal drain, Path baseDir,
      weft.proxy.observe.AccessLogWriter accessLogWriter,
      weft.proxy.observe.GrpcAccessLogSink.Generation grpcAccessLogs,
      LiveRouting.Staged live) {
    /** A file config: route tables and clusters fixed, one drain signal for every listener. */
    public Context(io.netty.channel.EventLoopGroup workers, StatsStore stats, UpstreamPools pools,
        DrainSignal drain, Path baseDir, weft.proxy.observe.AccessLogWriter accessLogWriter,
        weft.proxy.observe.GrpcAccessLogSink.Generation grpcAccessLogs) {
      this(workers, stats, pools, drain, baseDir, accessLogWriter, grpcAccessLogs, null);
    }

    /** A context whose gRPC access loggers are validated only. */
    public Context(io.netty.channel.EventLoopGroup workers, StatsStore stats, UpstreamPools pools,
        DrainSignal drain, Path baseDir, weft.proxy.observe.AccessLogWriter accessLogWriter) {
      this(workers, stats, pools, drain, baseDir, accessLogWriter, null);
    }
  }

  public static ProxyConfig compile(Bootstrap b, Context ctx) throws ConfigException {
    return compile(b, ctx, null);
  }

  /**
   * For xDS updates: clusters unchanged from {@code previous} (may be null) are taken over
   * running, with their health and outlier state (see {@link ClusterManager#create(java.util.List,
   * ConfigPath, ConfigProblems, ClusterContext, ClusterManager)}).
   */
  public static ProxyConfig compile(Bootstrap b, Context ctx, ClusterManager previous)
      throws ConfigException {
    ConfigProblems problems = new ConfigProblems();
    ConfigPath root = ConfigPath.root();
    SupportedFields.check(b, root, problems, "node", "static_resources", "admin", "layered_runtime");
    if (b.hasNode()) {
      SupportedFields.check(b.getNode(), root.field("node"), problems, "id", "cluster", "metadata",
          "locality");
    }
    RuntimeLayers runtime = b.hasLayeredRuntime()
        ? RuntimeLayers.compile(b.getLayeredRuntime(), root.field("layered_runtime"), problems)
        : RuntimeLayers.empty();
    ConfigPath sr = root.field("static_resources");
    SupportedFields.check(b.getStaticResources(), sr, problems, "listeners", "clusters");
    ClusterManager clusters = ClusterManager.create(b.getStaticResources().getClustersList(),
        sr.field("clusters"), problems,
        ClusterContext.of(ctx.workers(), ctx.stats(), upstreamTransports(ctx.baseDir())), previous);
    Set<String> declared = new HashSet<>();
    b.getStaticResources().getClustersList().forEach(c -> declared.add(c.getName()));
    ProxyExtensions ext = new ProxyExtensions(ctx.stats(), clusters, ctx.pools(), ctx.drain(),
        ctx.baseDir(), declared, ctx.accessLogWriter(), ctx.grpcAccessLogs(), ctx.live());
    List<ListenerConfig> listeners = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<InetSocketAddress> addresses = new HashSet<>();
    for (int i = 0; i < b.getStaticResources().getListenersCount(); i++) {
      Listener l = b.getStaticResources().getListeners(i);
      ConfigPath p = sr.field("listeners").index(i);
      if (!l.getName().isEmpty() && !names.add(l.getName())) {
        problems.add(p.field("name"), "duplicate listener name '" + l.getName() + "'");
      }
      ListenerConfig lc = ListenerCompiler.compile(l, p, problems, ext.forListener(l.getName()),
          runtime.listenerConnectionLimit(l.getName()));
      if (lc.address() != null && lc.address().getPort() != 0 && !addresses.add(lc.address())) {
        problems.add(p.field("address"), "address " + lc.address() + " is used by another listener");
      }
      listeners.add(lc);
    }
    InetSocketAddress admin = null;
    if (b.hasAdmin()) {
      admin = AdminConfig.compile(b.getAdmin(), root.field("admin"), problems).address();
    }
    if (!problems.isEmpty()) {
      clusters.closeUnshared(previous);
    }
    problems.throwIfAny("invalid bootstrap");
    return new ProxyConfig(b, listeners, clusters, admin, runtime);
  }

  private static UpstreamTransportFactory upstreamTransports(Path baseDir) {
    return (TransportSocket ts, ConfigPath path, ConfigProblems problems) -> {
      if (ts.getName().equals("envoy.transport_sockets.raw_buffer")) {
        return null;
      }
      UpstreamTls tls = UpstreamTls.compile(ts, path, problems, baseDir);
      // the compiled context itself, not a lambda over it: HTTP/2 pools set ALPN h2 on it and gRPC
      // access loggers build their channel's context from it (instanceof UpstreamTls)
      return tls;
    };
  }
}
