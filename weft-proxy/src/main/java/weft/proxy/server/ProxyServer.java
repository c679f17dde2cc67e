package weft.proxy.server;

import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.proxy.admin.AdminServer;
import weft.proxy.admin.AdminSources;
import weft.proxy.admin.ConfigDumps;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.config.ConfigException;
import weft.proxy.http.DrainSignal;
import weft.proxy.listener.ListenerConfig;
import weft.proxy.listener.ListenerServer;
import weft.proxy.observe.StatsStore;
import weft.proxy.upstream.UpstreamPools;

/**
 * A running proxy: event loops, listeners, clusters, pools and the admin server for one
 * bootstrap. {@link #drainAndClose} is the graceful shutdown used on SIGTERM.
 */
public final class ProxyServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);

  private final Transport transport;
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final EventLoopGroup adminGroup;
  private final StatsStore stats;
  private final UpstreamPools pools;
  private final DrainSignal drain = new DrainSignal();
  private final weft.proxy.observe.AccessLogWriter accessLogs;
  private final weft.proxy.observe.GrpcAccessLogSink grpcAccessLogs;
  private final List<ListenerServer> listeners = new ArrayList<>();
  private final List<InetSocketAddress> bound = new ArrayList<>();
  private ProxyConfig config;
  private AdminServer admin;
  private volatile boolean closed;

  private ProxyServer(int concurrency, StatsStore stats, Node node) {
    this.transport = Transport.best();
    this.boss = transport.newGroup(1);
    this.workers = transport.newGroup(concurrency);
    this.adminGroup = transport.newGroup(1);
    this.stats = stats;
    this.pools = new UpstreamPools(transport);
    this.accessLogs = new weft.proxy.observe.AccessLogWriter(stats, 16_384);
    this.grpcAccessLogs = new weft.proxy.observe.GrpcAccessLogSink(stats, node, 16_384);
  }

  /** Loads, compiles and starts {@code configFile}; relative paths resolve against its dir. */
  public static ProxyServer start(Path configFile, int concurrency)
      throws ConfigException, InterruptedException {
    Bootstrap b = BootstrapLoader.load(configFile);
    Path dir = configFile.toAbsolutePath().getParent();
    return start(b, dir, concurrency, new StatsStore());
  }

  public static ProxyServer start(Bootstrap b, Path baseDir, int concurrency, StatsStore stats)
      throws ConfigException, InterruptedException {
    ProxyServer s = new ProxyServer(Math.max(1, concurrency), stats, b.getNode());
    try {
      s.config = BootstrapCompiler.compile(b, new BootstrapCompiler.Context(
          s.workers, stats, s.pools, s.drain, baseDir, s.accessLogs,
          s.grpcAccessLogs.newGeneration()));
      s.bindAll();
      return s;
    } catch (ConfigException | InterruptedException | RuntimeException e) {
      s.close();
      throw e;
    }
  }

  private void bindAll() throws InterruptedException {
    config.clusters().start();
    var global = new ListenerServer.GlobalConnectionLimit(config.runtime().globalMaxConnections());
    for (ListenerConfig lc : config.listeners()) {
      ListenerServer ls = new ListenerServer(lc, stats, global);
      bound.add(ls.bind(transport, boss, workers));
      listeners.add(ls);
    }
    // Envoy: 1 once every worker has started its listeners
    stats.gauge("listener_manager.workers_started").set(1);
    stats.gauge("listener_manager.total_listeners_active").set(listeners.size());
    if (config.adminAddress() != null) {
      Instant loaded = Instant.now();
      List<Message> dump = ConfigDumps.ofBootstrap(config.bootstrap(), loaded);
      admin = startAdmin(dump);
      LOG.info("admin on {}", admin.address());
    }
  }

  private AdminServer startAdmin(List<Message> dump) throws InterruptedException {
    try {
      return AdminServer.start(config.adminAddress(), adminGroup, transport.serverChannel(),
          new AdminSources() {
            @Override
            public boolean initialized() {
              return !closed && !drain.draining();
            }

            @Override
            public StatsStore stats() {
              return stats;
            }

            @Override
            public String clustersText() {
              return config.clusters().dumpClusters();
            }

            @Override
            public List<Message> configDump() {
              return dump;
            }

            @Override
            public Node node() {
              return config.bootstrap().getNode();
            }
          });
    } catch (InterruptedException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      // Netty rethrows bind errors unchecked-but-checked; name the address instead
      throw new IllegalStateException("admin: cannot bind " + config.adminAddress() + ": "
          + e.getMessage(), e);
    }
  }

  /** The listeners' bound addresses, in bootstrap order (resolves port 0). */
  public List<InetSocketAddress> listenerAddresses() {
    return List.copyOf(bound);
  }

  public InetSocketAddress adminAddress() {
    return admin == null ? null : admin.address();
  }

  public StatsStore stats() {
    return stats;
  }

  public ProxyConfig config() {
    return config;
  }

  /**
   * Graceful shutdown: stop accepting, tell HTTP connections to finish (HTTP/1.1
   * {@code connection: close}, HTTP/2 GOAWAY), wait up to {@code drainTime} for them, then close.
   */
  public void drainAndClose(Duration drainTime) {
    for (ListenerServer l : listeners) {
      l.stopAccepting();
    }
    drain.startDrain();
    long deadline = System.nanoTime() + drainTime.toNanos();
    while (drain.liveConnections() > 0 && System.nanoTime() < deadline) {
      try {
        // a shutdown path, off the event loops: polling the count is the simplest correct wait
        TimeUnit.MILLISECONDS.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    close();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ListenerServer l : listeners) {
      l.stopAccepting();
    }
    if (admin != null) {
      admin.close();
    }
    pools.close();
    if (config != null) {
      config.clusters().close();
    }
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    adminGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS);
    workers.terminationFuture().awaitUninterruptibly(5000);
    // after the workers: no event loop logs any more
    grpcAccessLogs.close();
    try {
      accessLogs.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
