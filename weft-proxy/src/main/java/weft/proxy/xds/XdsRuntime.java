package weft.proxy.xds;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.proxy.admin.AdminServer;
import weft.proxy.admin.AdminSources;
import weft.proxy.admin.ConfigDumps;
import weft.proxy.config.ConfigException;
import weft.proxy.config.ConfigProblem;
import weft.proxy.config.ConfigProblems;
import weft.proxy.http.DrainSignal;
import weft.proxy.listener.ListenerConfig;
import weft.proxy.listener.ListenerServer;
import weft.proxy.observe.AccessLogWriter;
import weft.proxy.observe.GrpcAccessLogSink;
import weft.proxy.observe.StatsStore;
import weft.proxy.server.BootstrapCompiler;
import weft.proxy.server.LiveRouting;
import weft.proxy.server.ProxyConfig;
import weft.proxy.server.Transport;
import weft.proxy.upstream.UpstreamPools;

/**
 * A proxy whose listeners and clusters come from xDS. Each accepted state of the world is compiled
 * as a whole by {@link BootstrapCompiler} (so xDS and file config share one validator) and then
 * applied as Envoy does:
 * <ul>
 *   <li>RDS, CDS and EDS updates do not touch listeners: route tables (per route config name) and
 *       the cluster set are swapped under running connections ({@link LiveRouting}), so the next
 *       stream of an established connection uses them;
 *   <li>a listener whose own config changed (LDS, or a secret it uses) keeps its socket and serves
 *       new connections with the new chains while its established connections drain; a listener
 *       that moved or vanished stops accepting and drains;
 *   <li>a cluster whose resource did not change is taken over running (host health, outlier
 *       ejections kept), one that changed only in its endpoints (EDS) too, with its hosts swapped
 *       in place (hosts still present keep their state and pooled connections); replaced clusters
 *       are closed after {@code drainTime}.
 * </ul>
 */
public final class XdsRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(XdsRuntime.class);

  /** The outcome of checking a state of the world. */
  public record Check(List<String> problems, Set<String> warming, SnapshotAssembler.Result assembled,
      ProxyConfig compiled, LiveRouting.Staged routing, XdsResources resources,
      GrpcAccessLogSink.Generation grpcAccessLogs) {
    Check(List<String> problems, Set<String> warming, SnapshotAssembler.Result assembled,
        ProxyConfig compiled, LiveRouting.Staged routing, XdsResources resources) {
      this(problems, warming, assembled, compiled, routing, resources, null);
    }
  }

  private final Node node;
  private final Duration drainTime;
  private final Transport transport = Transport.best();
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventLoopGroup adminGroup;
  private final StatsStore stats;
  private final UpstreamPools pools;
  // route tables and clusters swapped under running listeners
  private final LiveRouting live = new LiveRouting();
  // per listener: the drain signals of the HTTP connections its chains accepted since its last drain
  private final Map<String, List<DrainSignal>> drains = new HashMap<>();
  private XdsResources applied = XdsResources.empty();
  // per listener: its assembled form with RDS references kept (what a change of it means)
  private Map<String, io.envoyproxy.envoy.config.listener.v3.Listener> shapes = Map.of();
  private final AccessLogWriter accessLogs;
  private final GrpcAccessLogSink grpcAccessLogs;
  private final ListenerServer.GlobalConnectionLimit global = new ListenerServer.GlobalConnectionLimit(-1);
  private final Map<String, ListenerServer> listeners = new LinkedHashMap<>();
  private final Map<String, InetSocketAddress> bound = new HashMap<>();
  private volatile ProxyConfig current;
  private final java.util.Set<io.netty.channel.Channel> draining =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile List<Message> dump = List.of();
  private AdminServer admin;
  private volatile boolean closed;

  public XdsRuntime(Node node, int concurrency, StatsStore stats, Duration drainTime) {
    this(node, concurrency, stats, drainTime, null);
  }

  /**
   * @param upstreamSource the address upstream HTTP connections leave from (the workload's
   *     address, for a sidecar without traffic interception), or null for the kernel's choice
   */
  public XdsRuntime(Node node, int concurrency, StatsStore stats, Duration drainTime,
      java.net.InetAddress upstreamSource) {
    this.node = node;
    this.drainTime = drainTime;
    this.stats = stats;
    this.boss = transport.newGroup(1);
    this.workers = transport.newGroup(Math.max(1, concurrency));
    this.adminGroup = transport.newGroup(1);
    this.pools = new UpstreamPools(transport, upstreamSource);
    this.accessLogs = new AccessLogWriter(stats, 16_384);
    this.grpcAccessLogs = new GrpcAccessLogSink(stats, node, 16_384);
  }

  /**
   * Assembles and compiles {@code res}. Problems name the resource, e.g. {@code
   * clusters["web"].lb_policy}; problems of TLS contexts whose secret has not arrived yet are not
   * reported (they are warming). On success without warming, {@code compiled} is ready to
   * {@link #apply}; otherwise it is null.
   */
  public Check check(XdsResources res, Map<String, Secret> localSecrets) {
    ConfigProblems problems = new ConfigProblems();
    SnapshotAssembler.Result a = SnapshotAssembler.assemble(res, localSecrets, node, problems);
    List<String> out = new ArrayList<>();
    problems.list().forEach(p -> out.add(p.toString()));
    if (!out.isEmpty()) {
      return new Check(out, a.warming(), a, null, null, res);
    }
    try {
      ProxyConfig previous = current;
      LiveRouting.Staged staged = live.stage(a.routeNames());
      GrpcAccessLogSink.Generation logs = grpcAccessLogs.newGeneration();
      ProxyConfig pc = BootstrapCompiler.compile(a.bootstrap(), new BootstrapCompiler.Context(
          workers, stats, pools, new DrainSignal(), Path.of("."), accessLogs, logs, staged),
          previous == null ? null : previous.clusters());
      if (!a.warming().isEmpty()) {
        pc.clusters().closeUnshared(previous == null ? null : previous.clusters());
        pc = null;
      }
      return new Check(List.of(), a.warming(), a, pc, staged, res, logs);
    } catch (ConfigException e) {
      List<String> names = new ArrayList<>();
      for (ConfigProblem p : e.problems()) {
        String path = rename(p.path().toString(), res);
        if (a.warmingPaths().stream().noneMatch(path::startsWith)) {
          names.add(path.isEmpty() ? p.message() : path + ": " + p.message());
        }
      }
      return new Check(names, a.warming(), a, null, null, res);
    }
  }

  /** {@code static_resources.clusters[2]} -> {@code clusters["name"]} (config order = name order). */
  private static String rename(String path, XdsResources res) {
    for (String kind : List.of("clusters", "listeners")) {
      String prefix = "static_resources." + kind + "[";
      if (path.startsWith(prefix)) {
        int end = path.indexOf(']', prefix.length());
        int i = Integer.parseInt(path.substring(prefix.length(), end));
        List<String> names = List.copyOf(kind.equals("clusters")
            ? res.clusters().keySet() : res.listeners().keySet());
        if (i < names.size()) {
          return kind + "[\"" + names.get(i) + "\"]" + path.substring(end + 1);
        }
      }
    }
    return path;
  }

  /** Puts a checked config in force. Called from one thread at a time (the xDS client's). */
  public synchronized void apply(Check c) throws InterruptedException {
    ProxyConfig next = c.compiled();
    if (closed || next == null) {
      return;
    }
    Map<String, io.envoyproxy.envoy.config.listener.v3.Listener> nextShapes =
        c.assembled().listenerShapes();
    next.clusters().start();
    // routes and clusters first: kept listeners serve their next streams with them, new chains too
    c.routing().publish(next.clusters());
    Map<String, ListenerConfig> wanted = new LinkedHashMap<>();
    next.listeners().forEach(l -> wanted.put(l.name(), l));
    for (var it = listeners.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      ListenerConfig lc = wanted.get(e.getKey());
      if (lc == null || !lc.address().equals(e.getValue().config().address())) {
        LOG.info("listener '{}' removed or moved: stops accepting, connections drain", e.getKey());
        e.getValue().stopAccepting();
        drain(e.getKey(), e.getValue().connections());
        bound.remove(e.getKey());
        it.remove();
      }
    }
    for (ListenerConfig lc : wanted.values()) {
      ListenerServer ls = listeners.get(lc.name());
      if (ls != null) {
        if (Objects.equals(shapes.get(lc.name()), nextShapes.get(lc.name()))) {
          // RDS/CDS/EDS only: the running chains read the swapped routes and clusters (Envoy)
          continue;
        }
        List<io.netty.channel.Channel> established = ls.connections();
        ls.update(lc);
        if (Objects.equals(applied.listeners().get(lc.name()), c.resources().listeners().get(lc.name()))) {
          // only a secret it uses changed: as Envoy, established TLS connections keep theirs
          List<DrainSignal> live = drains.computeIfAbsent(lc.name(), n -> new ArrayList<>());
          live.removeIf(d -> d.liveConnections() == 0);
          live.add(c.routing().drain(lc.name()));
        } else {
          drain(lc.name(), established);
          drains.computeIfAbsent(lc.name(), n -> new ArrayList<>()).add(c.routing().drain(lc.name()));
        }
        continue;
      }
      ls = new ListenerServer(lc, stats, global);
      try {
        bound.put(lc.name(), ls.bind(transport, boss, workers));
        listeners.put(lc.name(), ls);
        drains.computeIfAbsent(lc.name(), n -> new ArrayList<>()).add(c.routing().drain(lc.name()));
      } catch (IllegalStateException e) {
        // Envoy: a listener that cannot bind fails alone; the rest of the update stands
        LOG.warn("{}", e.getMessage());
        stats.counter("listener_manager.listener_create_failure").inc();
      }
    }
    shapes = nextShapes;
    applied = c.resources();
    ProxyConfig previous = current;
    current = next;
    if (c.grpcAccessLogs() != null) {
      // gRPC access loggers the new config dropped flush and end their streams; shared ones live on
      c.grpcAccessLogs().retain();
    }
    dump = ConfigDumps.ofBootstrap(c.assembled().bootstrap(), Instant.now());
    stats.gauge("listener_manager.total_listeners_active").set(listeners.size());
    stats.gauge("listener_manager.workers_started").set(1);
    if (previous != null) {
      // unchanged clusters live on in next; the others stop once their connections had time to end
      adminGroup.schedule(() -> previous.clusters().closeUnshared(next.clusters()),
          drainTime.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Envoy's listener drain: the connections {@code listener} accepted under its replaced config
   * finish their requests and close (HTTP/1.1 {@code connection: close}, HTTP/2 GOAWAY, idle ones
   * at once); what is left closes at the end of the drain time, so that a policy change spares no
   * kept-alive connection.
   */
  private void drain(String listener, List<io.netty.channel.Channel> established) {
    for (DrainSignal d : drains.getOrDefault(listener, List.of())) {
      LOG.info("listener '{}' replaced: draining {} connection(s)", listener, d.liveConnections());
      d.startDrain();
    }
    drains.remove(listener);
    if (!established.isEmpty()) {
      draining.addAll(established);
      adminGroup.schedule(() -> established.forEach(io.netty.channel.Channel::close),
          drainTime.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Starts the admin server (/ready, /stats, /config_dump, /clusters) on {@code address}. */
  public synchronized InetSocketAddress startAdmin(InetSocketAddress address) throws Exception {
    admin = AdminServer.start(address, adminGroup, transport.serverChannel(), new AdminSources() {
      @Override
      public boolean initialized() {
        return !closed && current != null;
      }

      @Override
      public StatsStore stats() {
        return stats;
      }

      @Override
      public String clustersText() {
        ProxyConfig c = current;
        return c == null ? "" : c.clusters().dumpClusters();
      }

      @Override
      public List<Message> configDump() {
        return dump;
      }

      @Override
      public Node node() {
        return node;
      }
    });
    return admin.address();
  }

  /** The bound address of the listener named {@code name}, or null if it is not serving. */
  public synchronized InetSocketAddress listenerAddress(String name) {
    return bound.get(name);
  }

  /**
   * Connections accepted under a listener config that has since changed and that are still open
   * (they close at the end of the drain time).
   */
  public int drainingConnections() {
    draining.removeIf(ch -> !ch.isOpen());
    return draining.size();
  }

  /** Whether a config has been applied (Envoy's init done). */
  public boolean ready() {
    return current != null;
  }

  public ProxyConfig current() {
    return current;
  }

  public StatsStore stats() {
    return stats;
  }

  public Node node() {
    return node;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    listeners.values().forEach(ListenerServer::stopAccepting);
    if (admin != null) {
      admin.close();
    }
    pools.close();
    if (current != null) {
      current.clusters().close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5000);
    grpcAccessLogs.close();
    try {
      accessLogs.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
