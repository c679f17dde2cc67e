package weft.controlplane.xds;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.server.DefaultExecutorGroup;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509TrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * weft's xDS management server: ADS and the per-type LDS/RDS/CDS/EDS/SDS services, each in
 * state-of-the-world and delta (incremental) flavour, over gRPC (grpc-netty on our Netty line).
 * java-control-plane does the protocol; this class decides what each node sees and when.
 *
 * <p><b>Versions.</b> One global counter, bumped once per {@link #publish} that changes anything.
 * Each type of each node keeps its version until its resources change, so a publish pushes only the
 * types that changed, only to the nodes whose snapshot changed; republishing identical content
 * pushes nothing.
 *
 * <p><b>Unknown nodes.</b> A node id absent from the last published map (a proxyless gRPC client, or
 * a proxy whose workload is not known yet) gets the {@linkplain #setDefaultSnapshot default
 * snapshot}, and switches to its own snapshot as soon as one is published for it. Before the first
 * {@link #publish} nothing is served: a proxy reconnecting to a restarted control plane keeps its
 * config until the control plane has translated its state, instead of receiving an empty one.
 *
 * <p><b>Transport.</b> {@link #start(InetSocketAddress, Tls, Optional, ProxyStatusRegistry, List)}
 * serves mTLS (client certificate required, chained to the mesh trust bundle) with {@link
 * NodeAuthorizer} in front of every service, and optionally the same services in plaintext on a
 * second port; the other {@code start} methods serve plaintext only (tests of the protocol). Both
 * ports share one cache: a node sees the same configuration on either.
 *
 * <p>Thread-safety: {@link #publish} and {@link #setDefaultSnapshot} may be called from any thread;
 * they are serialized with each other and with stream opening.
 */
public final class XdsServer implements AutoCloseable {
  public static final int DEFAULT_PORT = 15010;
  private static final Logger log = LoggerFactory.getLogger(XdsServer.class);

  private final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  private final ProxyStatusRegistry statuses;
  private final Server server;
  private final Optional<Server> insecureServer;
  private final Object lock = new Object();
  // guarded by lock
  private final Map<String, Published> published = new HashMap<>();
  private Map<String, ProxySnapshot> desired = Map.of();
  private ProxySnapshot defaultSnapshot = ProxySnapshot.empty();
  // nodes that connected before the first publish: they get no snapshot (their watches stay open)
  // until it comes, rather than an empty one that would remove a reconnecting proxy's whole config
  private final Set<String> waiting = new HashSet<>();
  private boolean publishedOnce;
  private long version;

  /**
   * The TLS side of the xDS port: the control plane's certificate ({@code keys}, renewed in
   * place), the mesh trust bundle clients must chain to ({@code clients}: a client certificate is
   * required), and who may speak as which node.
   */
  public record Tls(X509ExtendedKeyManager keys, X509TrustManager clients, NodeAuthorizer authorizer) {}

  private XdsServer(InetSocketAddress address, Optional<Tls> tls, Optional<InetSocketAddress> insecure,
      ProxyStatusRegistry statuses, long initialVersion, List<BindableService> extra) throws SSLException {
    this.statuses = statuses;
    this.version = initialVersion;
    StatusCallbacks callbacks = new StatusCallbacks(statuses, this::nodeSeen, this::nodeClosed);
    // a resource many proxies see (one service's cluster) is serialized once, not once per proxy:
    // java-control-plane's cache is keyed by message value and drops an entry once the serialized
    // form is no longer referenced (weak values)
    V3DiscoveryServer xds = new V3DiscoveryServer(List.of(callbacks), cache,
        new DefaultExecutorGroup(), new CachedProtoResourcesSerializer());
    RequestDefaultsInterceptor defaults = new RequestDefaultsInterceptor();
    NackHoldInterceptor nackHold = new NackHoldInterceptor();
    List<ServerServiceDefinition> services = new ArrayList<>();
    for (BindableService service :
        List.<BindableService>of(
            xds.getAggregatedDiscoveryServiceImpl(),
            xds.getListenerDiscoveryServiceImpl(),
            xds.getRouteDiscoveryServiceImpl(),
            xds.getClusterDiscoveryServiceImpl(),
            xds.getEndpointDiscoveryServiceImpl(),
            xds.getSecretDiscoveryServiceImpl())) {
      // the last interceptor given runs first: defaults fill the type URL nackHold keys on
      services.add(ServerInterceptors.intercept(service, nackHold, defaults));
    }
    // other services proxies reach on the same address (the access log service, for flows)
    extra.forEach(e -> services.add(e.bindService()));
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address);
    if (tls.isPresent()) {
      // ALPN h2 as gRPC requires; the client's certificate is required and must chain to the mesh
      builder.sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(tls.get().keys()))
          .trustManager(tls.get().clients())
          .clientAuth(ClientAuth.REQUIRE)
          .build());
      // server-wide interceptors run before the per-service ones: nothing unauthorized gets through
      builder.intercept(tls.get().authorizer());
    }
    this.server = build(builder, services);
    this.insecureServer = insecure.map(a -> build(NettyServerBuilder.forAddress(a), services));
  }

  private static Server build(NettyServerBuilder builder, List<ServerServiceDefinition> services) {
    services.forEach(builder::addService);
    // proxies hold their stream for hours; let their keepalives through
    return builder.permitKeepAliveTime(10, TimeUnit.SECONDS).permitKeepAliveWithoutCalls(true).build();
  }

  /**
   * Plaintext, without node authorization, for this package's protocol tests (port 0 picks a free
   * port: see {@link #port()}). The control plane itself uses the TLS overload below.
   */
  static XdsServer start(InetSocketAddress address, ProxyStatusRegistry statuses) throws IOException {
    return start(address, statuses, initialVersion());
  }

  /** As {@link #start(InetSocketAddress, ProxyStatusRegistry)}, counting from a given version. */
  static XdsServer start(InetSocketAddress address, ProxyStatusRegistry statuses,
      long initialVersion) throws IOException {
    return start(address, Optional.empty(), Optional.empty(), statuses, initialVersion, List.of());
  }

  // Versions must also grow across restarts: a proxy reconnecting with version_info "7" to a
  // restarted server whose counter is back at 7 (for other content) would be told nothing.
  // Start from the wall clock in microseconds: a counter bumped per publish does not catch up.
  private static long initialVersion() {
    return System.currentTimeMillis() * 1000;
  }

  /**
   * Serves xDS (and {@code extra}) over TLS with node authorization on {@code address} and, when
   * given, also in plaintext without authorization on {@code insecure} (istiod's 15010: for Envoy
   * sidecars without certificates, proxyless gRPC clients and debugging).
   */
  public static XdsServer start(InetSocketAddress address, Tls tls,
      Optional<InetSocketAddress> insecure, ProxyStatusRegistry statuses,
      List<BindableService> extra) throws IOException {
    return start(address, Optional.of(tls), insecure, statuses, initialVersion(), extra);
  }

  private static XdsServer start(InetSocketAddress address, Optional<Tls> tls,
      Optional<InetSocketAddress> insecure, ProxyStatusRegistry statuses, long initialVersion,
      List<BindableService> extra) throws IOException {
    XdsServer s = new XdsServer(address, tls, insecure, statuses, initialVersion, extra);
    s.server.start();
    log.info("xds server listening on {} ({})", s.server.getListenSockets(),
        tls.isPresent() ? "mTLS" : "plaintext");
    if (s.insecureServer.isPresent()) {
      try {
        s.insecureServer.get().start();
      } catch (IOException e) {
        s.close();
        throw new InsecurePortException(e);
      }
      log.warn("xds server also listening in plaintext, unauthenticated, on {}",
          s.insecureServer.get().getListenSockets());
    }
    return s;
  }

  /** The plaintext port failed to bind (the main port is fine): callers name the right port. */
  public static final class InsecurePortException extends IOException {
    InsecurePortException(IOException cause) {
      super(cause.getMessage(), cause);
    }
  }

  /** The port actually bound (the TLS port when TLS is on). */
  public int port() {
    return ((InetSocketAddress) server.getListenSockets().getFirst()).getPort();
  }

  /** The plaintext port actually bound, when one was asked for next to the TLS port. */
  public OptionalInt insecurePort() {
    return insecureServer.map(s -> OptionalInt.of(
        ((InetSocketAddress) s.getListenSockets().getFirst()).getPort())).orElse(OptionalInt.empty());
  }

  public ProxyStatusRegistry statuses() {
    return statuses;
  }

  /**
   * What the node is being served now: its published snapshot, or the default one if it connected
   * without one; empty for a node neither published nor connected.
   */
  public Optional<ProxySnapshot> servedTo(String nodeId) {
    synchronized (lock) {
      Published p = published.get(nodeId);
      return p == null ? Optional.empty() : Optional.of(p.content);
    }
  }

  /**
   * The version of each resource type the node is being served now (type URL to version), to
   * compare with {@link ProxyStatus#ackedVersions()}: a proxy is up to date when it has ACKed these
   * for every type it subscribes to.
   */
  public Optional<Map<String, String>> servedVersions(String nodeId) {
    synchronized (lock) {
      Published p = published.get(nodeId);
      return p == null ? Optional.empty() : Optional.of(p.versions.byTypeUrl());
    }
  }

  /** The version of the last publish that changed something (the initial version before any). */
  public long version() {
    synchronized (lock) {
      return version;
    }
  }

  /**
   * Makes {@code snapshots} (node id to snapshot) the configuration of every node. Nodes whose
   * content is unchanged are left alone; nodes connected but absent from the map fall back to the
   * default snapshot.
   */
  public void publish(Map<String, ProxySnapshot> snapshots) {
    synchronized (lock) {
      desired = Map.copyOf(snapshots);
      long next = version + 1;
      boolean changed = false;
      CacheSnapshots cacheSnapshots = new CacheSnapshots();
      for (Map.Entry<String, ProxySnapshot> e : desired.entrySet()) {
        changed |= apply(e.getKey(), e.getValue(), next, cacheSnapshots);
      }
      publishedOnce = true;
      for (String node : waiting) {
        if (!desired.containsKey(node)) {
          changed |= apply(node, defaultSnapshot, next, cacheSnapshots);
        }
      }
      waiting.clear();
      for (String node : List.copyOf(published.keySet())) {
        if (!desired.containsKey(node) && !forget(node)) {
          changed |= apply(node, defaultSnapshot, next, cacheSnapshots);
        }
      }
      if (changed) {
        version = next;
      }
    }
  }

  /** The snapshot for node ids absent from the published map; applied to such nodes at once. */
  public void setDefaultSnapshot(ProxySnapshot snapshot) {
    synchronized (lock) {
      defaultSnapshot = snapshot;
      long next = version + 1;
      boolean changed = false;
      CacheSnapshots cacheSnapshots = new CacheSnapshots();
      for (String node : List.copyOf(published.keySet())) {
        if (!desired.containsKey(node)) {
          changed |= apply(node, snapshot, next, cacheSnapshots);
        }
      }
      if (changed) {
        version = next;
      }
    }
  }

  /** Sets the node's cache snapshot if its content differs; true if it did. Holds lock. */
  private boolean apply(String node, ProxySnapshot content, long next, CacheSnapshots cacheSnapshots) {
    Published prev = published.get(node);
    if (prev != null && prev.content.contentHash().equals(content.contentHash())) {
      return false;
    }
    TypeVersions versions = TypeVersions.next(prev == null ? null : prev.content,
        prev == null ? null : prev.versions, content, Long.toString(next));
    published.put(node, new Published(content, versions));
    cache.setSnapshot(node, cacheSnapshots.snapshot(content, versions));
    return true;
  }

  /** A stream's first request: make sure the node has something to watch before the watch opens. */
  private void nodeSeen(String node) {
    synchronized (lock) {
      if (!publishedOnce) {
        waiting.add(node);
      } else if (!published.containsKey(node)) {
        ProxySnapshot content = desired.getOrDefault(node, defaultSnapshot);
        // a first snapshot for a node is not a change of config: it takes the current version,
        // unless nothing was ever published (the initial version belongs to no content)
        if (published.isEmpty() && desired.isEmpty()) {
          version++;
        }
        apply(node, content, version, new CacheSnapshots());
      }
    }
  }

  /** Forget nodes that are gone and not published, so they do not accumulate. */
  private void nodeClosed(String node) {
    synchronized (lock) {
      if (!desired.containsKey(node)) {
        waiting.remove(node);
        forget(node);
      }
    }
  }

  /** Drops a disconnected node's snapshot; false if it is connected or watched. Holds lock. */
  private boolean forget(String node) {
    boolean connected = statuses.get(node).map(ProxyStatus::connected).orElse(false);
    if (connected || !cache.clearSnapshot(node)) {
      return false;
    }
    published.remove(node);
    return true;
  }

  @Override
  public void close() {
    server.shutdownNow();
    insecureServer.ifPresent(Server::shutdownNow);
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
      if (insecureServer.isPresent()) {
        insecureServer.get().awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private record Published(ProxySnapshot content, TypeVersions versions) {}

  /** Per-type versions: a type keeps its version while its resources stay equal. */
  record TypeVersions(
      String listeners, String routes, String clusters, String endpoints, String secrets) {

    static TypeVersions next(
        ProxySnapshot prev, TypeVersions prevVersions, ProxySnapshot next, String v) {
      if (prev == null) {
        return new TypeVersions(v, v, v, v, v);
      }
      // per-type content hashes, not the resources: equals on new protobuf objects is a deep walk
      List<String> a = prev.typeHashes();
      List<String> b = next.typeHashes();
      return new TypeVersions(
          a.get(0).equals(b.get(0)) ? prevVersions.listeners : v,
          a.get(1).equals(b.get(1)) ? prevVersions.routes : v,
          a.get(2).equals(b.get(2)) ? prevVersions.clusters : v,
          a.get(3).equals(b.get(3)) ? prevVersions.endpoints : v,
          a.get(4).equals(b.get(4)) ? prevVersions.secrets : v);
    }

    Map<String, String> byTypeUrl() {
      return Map.of(
          Resources.V3.LISTENER_TYPE_URL, listeners,
          Resources.V3.ROUTE_TYPE_URL, routes,
          Resources.V3.CLUSTER_TYPE_URL, clusters,
          Resources.V3.ENDPOINT_TYPE_URL, endpoints,
          Resources.V3.SECRET_TYPE_URL, secrets);
    }
  }
}
