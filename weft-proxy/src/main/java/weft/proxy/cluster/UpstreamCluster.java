package weft.proxy.cluster;

import io.netty.channel.EventLoop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * A compiled cluster: its hosts, load balancer, circuit breakers, stats and outlier reporting. Built
 * by {@link ClusterManager}; the router and TCP proxy call it on their event loops.
 *
 * <p>Threading: {@link #choose} and the {@code report*} methods are lock-free and may run on any
 * event loop. Membership (DNS), health checks and outlier ejections run on the cluster's control
 * event loop, which republishes an immutable {@link HostSnapshot} through a volatile field.
 */
public final class UpstreamCluster {
  // replaced only by an EDS update (endpoints and their shape; every other field is equal)
  private volatile ClusterConfig config;
  private final ClusterStats stats;
  private final CircuitBreakers breakers;
  private final EventLoop control;
  private final ClusterContext ctx;
  private final OutlierDetector outlier;
  private final HealthChecker healthChecker;
  private final DnsRefresher dns;
  private final List<Consumer<List<Host>>> membershipListeners = new ArrayList<>();
  private volatile List<Host> members = List.of();
  private volatile HostSnapshot snapshot = HostSnapshot.EMPTY;

  UpstreamCluster(ClusterConfig config, ClusterContext ctx, EventLoop control) {
    this.config = config;
    this.ctx = ctx;
    this.control = control;
    this.stats = new ClusterStats(ctx.stats(), config.name());
    this.breakers = new CircuitBreakers(config.thresholds(), stats);
    this.outlier =
        config.outlier().map(o -> new OutlierDetector(o, this, control, ctx.ticker(), stats)).orElse(null);
    this.healthChecker =
        config.healthChecks().isEmpty() ? null : new HealthChecker(config.healthChecks().get(0), this);
    this.dns = config.discovery() == ClusterConfig.Discovery.STRICT_DNS ? new DnsRefresher(this) : null;
    if (config.discovery() == ClusterConfig.Discovery.STATIC) {
      List<Host> hosts = new ArrayList<>();
      for (Endpoints.Spec s : config.endpoints()) {
        InetAddress ip = io.netty.util.NetUtil.createInetAddressFromIpAddressString(s.address());
        hosts.add(newHost(s, ip));
      }
      setMembers(hosts);
    }
  }

  Host newHost(Endpoints.Spec s, InetAddress ip) {
    int hcPort = s.healthCheckPort() == 0 ? s.port() : s.healthCheckPort();
    // Envoy's STRICT_DNS hosts are named after the DNS name unless the endpoint sets hostname
    String hostname =
        s.hostname().isEmpty() && config.discovery() == ClusterConfig.Discovery.STRICT_DNS
            ? s.address()
            : s.hostname();
    Host h =
        new Host(
            new InetSocketAddress(ip, s.port()),
            hostname,
            s.locality(),
            s.priority(),
            s.weight(),
            new InetSocketAddress(ip, hcPort),
            s.healthCheckHost());
    if (!config.healthChecks().isEmpty()) {
      // Envoy: a new host counts as failing active health checks until its first check passes
      h.setFlag(Host.FAILED_ACTIVE_HC, true);
    }
    if (s.edsUnhealthy()) {
      h.setFlag(Host.FAILED_EDS_HEALTH, true);
    }
    return h;
  }

  public String name() {
    return config.name();
  }

  /** {@code connect_timeout} (Envoy's default 5 s). */
  public Duration connectTimeout() {
    return config.connectTimeout();
  }

  public UpstreamProtocol protocol() {
    return config.protocol();
  }

  /** The compiled {@code transport_socket}, or null for plaintext. */
  public UpstreamTransport transport() {
    return config.transport();
  }

  public CircuitBreakers circuitBreakers() {
    return breakers;
  }

  public ClusterStats stats() {
    return stats;
  }

  /**
   * Picks a host for one upstream attempt: a priority by the priority load, then (in locality
   * weighted mode) a locality, then a host by the cluster's lb_policy among healthy hosts, or among
   * all hosts of a priority in panic. Returns null when there is no host to send to (503 {@code no
   * healthy upstream}). Any event loop; lock-free.
   */
  public Host choose(LbContext lb) {
    HostSnapshot s = snapshot;
    if (s.levels.length == 0) {
      return null;
    }
    int attempts = lb.hostSelectionRetryCount() + 1;
    Host host = null;
    boolean single = s.levels.length == 1;
    for (int attempt = 0; attempt < attempts; attempt++) {
      long hash;
      if (lb.hasHashKey()) {
        hash = lb.hashKey();
      } else if (single && !s.usesHash) {
        hash = 0; // one priority and a balancer that ignores the hash: no random draw needed
      } else {
        hash = ThreadLocalRandom.current().nextLong();
      }
      int p = single ? 0 : s.load.choose(hash);
      HostSnapshot.Level level = s.levels[p];
      if (level.panic) {
        stats.lbHealthyPanic().inc();
      }
      host = level.pick(hash, attempt);
      if (host == null || attempts == 1 || !lb.shouldSelectAnotherHost(host)) {
        return host;
      }
    }
    return host;
  }

  /** The cluster's current hosts, in config order. */
  public List<Host> hosts() {
    return members;
  }

  // ---- outlier reporting (any event loop) ----

  /** An upstream response arrived with {@code status}. */
  public void reportResponse(Host host, int status) {
    if (outlier != null) {
      outlier.onResult(host, status);
    }
  }

  /** Connecting to the host failed (counts as a 503 for outlier detection, as in Envoy). */
  public void reportConnectFailure(Host host) {
    reportResponse(host, 503);
  }

  /** The request to the host timed out (counts as a 504). */
  public void reportTimeout(Host host) {
    reportResponse(host, 504);
  }

  /** The upstream connection or stream was reset before a response (counts as a 503). */
  public void reportReset(Host host) {
    reportResponse(host, 503);
  }

  // ---- control loop ----

  EventLoop controlLoop() {
    return control;
  }

  ClusterConfig config() {
    return config;
  }

  OutlierDetector outlierDetector() {
    return outlier;
  }

  ClusterContext context() {
    return ctx;
  }

  /** Control loop. */
  void start() {
    if (outlier != null) {
      outlier.start();
    }
    if (healthChecker != null) {
      healthChecker.start();
    }
    if (dns != null) {
      dns.start();
    }
  }

  /**
   * Completes when the cluster is warm: STRICT_DNS has its first lookups and, with active health
   * checks, every host has had its first check. Call after {@link #start()}.
   */
  CompletableFuture<Void> initialized() {
    CompletableFuture<Void> members =
        dns == null ? CompletableFuture.completedFuture(null) : dns.firstResolution();
    if (healthChecker == null) {
      return members;
    }
    // hosts found by the first lookup get their first check too
    return members.thenCompose(
        v -> CompletableFuture.supplyAsync(healthChecker::firstRound, control).thenCompose(f -> f));
  }

  /** Control loop. */
  void close() {
    if (outlier != null) {
      outlier.stop();
    }
    if (healthChecker != null) {
      healthChecker.stop();
    }
    if (dns != null) {
      dns.stop();
    }
  }

  boolean isMember(Host h) {
    for (Host m : members) {
      if (m == h) {
        return true;
      }
    }
    return false;
  }

  List<Host> members() {
    return members;
  }

  /** Called when membership changes, with the new list (health checkers follow it). */
  void onMembershipChange(Consumer<List<Host>> listener) {
    membershipListeners.add(listener);
  }

  /** Control loop (or the constructor): replace the host list and republish. */
  void setMembers(List<Host> hosts) {
    List<Host> old = members;
    members = List.copyOf(hosts);
    if (outlier != null) {
      for (Host h : old) {
        if (!hosts.contains(h)) {
          outlier.onHostRemoved(h);
        }
      }
    }
    healthChanged();
    for (Consumer<List<Host>> l : membershipListeners) {
      l.accept(members);
    }
  }

  /** Control loop: a host's health flags changed; rebuild the snapshot and membership gauges. */
  void healthChanged() {
    HostSnapshot s = HostSnapshot.build(members, config.shape());
    snapshot = s;
    stats.membershipTotal().set(members.size());
    stats.membershipHealthy().set(s.healthyCount());
  }

  /**
   * Control loop: an EDS update of this (otherwise unchanged) cluster. Hosts whose endpoint is
   * still there are kept as they are, with their health, outlier state and pooled connections
   * (Envoy keeps a host across EDS updates unless its address or attributes change); the EDS
   * health status is taken from the update.
   */
  void updateEndpoints(ClusterConfig next) {
    List<Endpoints.Spec> oldSpecs = config.endpoints();
    List<Host> old = members;
    java.util.Map<Endpoints.Spec, Host> byKey = new java.util.HashMap<>();
    // members follow the specs one to one for STATIC clusters (constructor and this method)
    for (int i = 0; i < oldSpecs.size() && i < old.size(); i++) {
      byKey.putIfAbsent(withoutEdsHealth(oldSpecs.get(i)), old.get(i));
    }
    List<Host> hosts = new ArrayList<>();
    for (Endpoints.Spec s : next.endpoints()) {
      Host h = byKey.remove(withoutEdsHealth(s));
      if (h == null) {
        h = newHost(s, io.netty.util.NetUtil.createInetAddressFromIpAddressString(s.address()));
      } else {
        h.setFlag(Host.FAILED_EDS_HEALTH, s.edsUnhealthy());
      }
      hosts.add(h);
    }
    config = next;
    setMembers(hosts);
  }

  private static Endpoints.Spec withoutEdsHealth(Endpoints.Spec s) {
    return s.edsUnhealthy()
        ? new Endpoints.Spec(s.address(), s.port(), s.healthCheckPort(), s.healthCheckHost(),
            s.hostname(), s.locality(), s.priority(), s.weight(), false)
        : s;
  }

  HostSnapshot snapshot() {
    return snapshot;
  }
}
