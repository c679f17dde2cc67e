package weft.proxy.cluster;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.IdentityHashMap;
import java.util.List;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import weft.proxy.observe.Counter;

/**
 * Active health checking (arch_overview/upstream/health_checking): one session per host, each
 * checking every {@code interval} over a fresh connection on the cluster's control event loop.
 *
 * <p>Envoy's state machine: a host starts as failed ({@code /failed_active_hc}) and its first
 * passing check makes it healthy at once; afterwards {@code healthy_threshold} consecutive passes
 * are needed. An HTTP response outside {@code expected_statuses} fails the host immediately;
 * timeouts and connection failures (and TCP checks) need {@code unhealthy_threshold} in a row.
 */
final class HealthChecker {
  private final HealthCheckSpec spec;
  private final UpstreamCluster cluster;
  private final EventLoop loop;
  private final Map<Host, Session> sessions = new IdentityHashMap<>();
  private final Counter attempt;
  private final Counter success;
  private final Counter failure;
  private final Counter networkFailure;
  private boolean stopped;

  HealthChecker(HealthCheckSpec spec, UpstreamCluster cluster) {
    this.spec = spec;
    this.cluster = cluster;
    this.loop = cluster.controlLoop();
    ClusterStats stats = cluster.stats();
    attempt = stats.counter("health_check.attempt");
    success = stats.counter("health_check.success");
    failure = stats.counter("health_check.failure");
    networkFailure = stats.counter("health_check.network_failure");
  }

  /**
   * Control loop, after {@link #start()}: completes once every current host has had one check
   * result (Envoy warms a cluster with active health checks this way before using it).
   */
  CompletableFuture<Void> firstRound() {
    return CompletableFuture.allOf(
        sessions.values().stream().map(s -> s.firstResult).toArray(CompletableFuture[]::new));
  }

  /** Control loop. */
  void start() {
    cluster.onMembershipChange(this::sync);
    sync(cluster.members());
  }

  /** Control loop. */
  void stop() {
    stopped = true;
    sessions.values().forEach(Session::stop);
    sessions.clear();
  }

  private void sync(List<Host> hosts) {
    if (stopped) {
      return;
    }
    Map<Host, Session> keep = new IdentityHashMap<>();
    for (Host h : hosts) {
      Session s = sessions.remove(h);
      if (s == null) {
        s = new Session(h);
        long delay = spec.initialJitterMillis();
        if (delay == 0) {
          s.runCheck();
        } else {
          s.timer = loop.schedule(s::runCheck, delay, TimeUnit.MILLISECONDS);
        }
      }
      keep.put(h, s);
    }
    sessions.values().forEach(Session::stop);
    sessions.clear();
    sessions.putAll(keep);
    cluster.stats().gauge("health_check.healthy").set(hosts.stream().filter(h -> !h.failedActiveHealthCheck()).count());
  }

  /** One host's checks; every field is confined to the control loop. */
  private final class Session implements HealthProbes.Outcome {
    private final Host host;
    private final CompletableFuture<Void> firstResult = new CompletableFuture<>();
    private boolean first = true;
    private int passes;
    private int fails;
    private boolean stopped;
    private boolean inFlight;
    private int generation; // identifies the check in flight; late events of older checks are ignored
    private Channel channel;
    private ScheduledFuture<?> timer;

    Session(Host host) {
      this.host = host;
    }

    void stop() {
      stopped = true;
      firstResult.complete(null);
      if (timer != null) {
        timer.cancel(false);
      }
      if (channel != null) {
        channel.close();
      }
    }

    void runCheck() {
      if (stopped) {
        return;
      }
      attempt.inc();
      inFlight = true;
      int gen = ++generation;
      timer = loop.schedule(() -> finish(gen, false, true), spec.timeout().toMillis(), TimeUnit.MILLISECONDS);
      ChannelFuture f =
          new Bootstrap()
              .group(loop)
              .channel(SocketTypes.socket(loop))
              .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, spec.timeout().toMillis()))
              .handler(
                  new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      // checks use the cluster's transport socket, as Envoy's do (e.g. TLS)
                      UpstreamTransport t = cluster.transport();
                      if (t != null) {
                        String peer =
                            host.hostname().isEmpty()
                                ? host.healthCheckAddress().getHostString()
                                : host.hostname();
                        ch.pipeline().addLast(t.newHandler(ch.alloc(), peer, host.healthCheckAddress().getPort()));
                      }
                      ch.pipeline().addLast(probe(gen));
                    }
                  })
              .connect(host.healthCheckAddress());
      channel = f.channel();
      f.addListener(
          (ChannelFuture cf) -> {
            if (!cf.isSuccess()) {
              finish(gen, false, true);
            }
          });
    }

    private ChannelHandler probe(int gen) {
      return switch (spec.check()) {
        case HealthCheckSpec.Http http -> new HealthProbes.HttpProbe(this, gen, http, host.healthCheckHost());
        case HealthCheckSpec.Tcp tcp -> new HealthProbes.TcpProbe(this, gen, tcp);
      };
    }

    /** Records one check's outcome (first outcome wins) and schedules the next check. */
    @Override
    public void finish(int gen, boolean ok, boolean network) {
      if (!inFlight || stopped || gen != generation) {
        return;
      }
      inFlight = false;
      timer.cancel(false);
      if (channel != null) {
        channel.close();
      }
      Transition t = ok ? pass() : fail(network);
      first = false;
      if (t == Transition.CHANGED) {
        cluster.healthChanged();
        cluster.stats().gauge("health_check.healthy").set(
            cluster.members().stream().filter(h -> !h.failedActiveHealthCheck()).count());
      }
      // after the snapshot is republished, so that whoever waits sees the result in choose()
      firstResult.complete(null);
      timer = loop.schedule(this::runCheck, nextDelayMillis(t), TimeUnit.MILLISECONDS);
    }

    /**
     * Envoy's HealthCheckerImplBase::interval: {@code unhealthy_interval} while failed, {@code
     * interval} while healthy, the edge intervals while a transition is pending, plus jitter.
     */
    private long nextDelayMillis(Transition t) {
      boolean failed = host.failedActiveHealthCheck();
      Duration base;
      if (failed) {
        base = t == Transition.PENDING ? spec.healthyEdgeInterval() : spec.unhealthyInterval();
      } else {
        base = t == Transition.PENDING ? spec.unhealthyEdgeInterval() : spec.interval();
      }
      return spec.jittered(base.toMillis());
    }

    private Transition pass() {
      success.inc();
      fails = 0;
      Transition t = Transition.UNCHANGED;
      if (host.failedActiveHealthCheck()) {
        // Envoy: the very first result of a new host counts at once, later ones need the threshold
        if (first || ++passes >= spec.healthyThreshold()) {
          host.setFlag(Host.FAILED_ACTIVE_HC, false);
          passes = 0;
          t = Transition.CHANGED;
        } else {
          t = Transition.PENDING;
        }
      }
      // outlier.rst: a passing host (below unhealthy_threshold, or back over healthy_threshold)
      // is unejected; one still marked failed is not
      OutlierDetector od = cluster.outlierDetector();
      if (od != null && !host.failedActiveHealthCheck()) {
        od.onActiveHealthCheckSuccess(host);
      }
      return t;
    }

    private Transition fail(boolean network) {
      failure.inc();
      if (network) {
        networkFailure.inc();
      }
      passes = 0;
      if (host.failedActiveHealthCheck()) {
        return Transition.UNCHANGED;
      }
      if (!network || ++fails >= spec.unhealthyThreshold()) {
        fails = 0;
        host.setFlag(Host.FAILED_ACTIVE_HC, true);
        return Transition.CHANGED;
      }
      return Transition.PENDING;
    }
  }

  /** Envoy's HealthTransition: what one result did to the host's health. */
  private enum Transition {
    UNCHANGED,
    PENDING,
    CHANGED
  }
}
