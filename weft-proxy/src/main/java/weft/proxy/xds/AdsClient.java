package weft.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's ADS client: one state-of-the-world stream carrying CDS, EDS, LDS, RDS and SDS in
 * Envoy's order (CDS first; EDS for the EDS clusters; LDS once they are warm; RDS and SDS for
 * the names the listeners and clusters reference). Every response is checked as a whole by {@link
 * XdsRuntime#check}: a response with any invalid resource is NACKed with the problems in {@code
 * error_detail} and the last good config stays; a valid one is applied, then ACKed. When the stream
 * fails the client reconnects with jittered exponential backoff, keeps serving what it has, and on
 * the new stream sends the versions it holds so the server can resume. All state lives on one
 * thread.
 */
public final class AdsClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdsClient.class);
  public static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  public static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  public static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  public static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  public static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  private static final List<String> ORDER = List.of(CDS, EDS, LDS, RDS, SDS);

  /** Per type: the last accepted version, the last nonce seen and the names subscribed. */
  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> names = new TreeSet<>();
    boolean requested;
  }

  private final XdsRuntime runtime;
  private final Backoff backoff;
  private final ManagedChannel channel;
  private final ScheduledExecutorService loop;
  private final Map<String, TypeState> types = new HashMap<>();
  private final Map<String, String> acked = new ConcurrentHashMap<>();
  private volatile String lastNack = "";
  private XdsResources resources = XdsResources.empty();
  private Map<String, Secret> localSecrets = Map.of();
  private StreamObserver<DiscoveryRequest> stream;
  private int streamId;
  private volatile boolean closed;

  /** A plaintext channel (a control plane's insecure xDS port, tests). */
  public AdsClient(String host, int port, XdsRuntime runtime, Backoff backoff) {
    this(host, port, null, runtime, backoff);
  }

  /**
   * @param tls the channel's mTLS (weft's control plane serves xDS only so); null: plaintext. With
   *     TLS, {@link #start} only once {@code tls} holds the workload certificate.
   */
  public AdsClient(String host, int port, XdsTls tls, XdsRuntime runtime, Backoff backoff) {
    this.runtime = runtime;
    this.backoff = backoff;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-xds");
      t.setDaemon(true);
      return t;
    });
    NettyChannelBuilder b = NettyChannelBuilder.forAddress(host, port);
    this.channel = (tls == null ? b.usePlaintext() : b.sslContext(tls.sslContext())).build();
    ORDER.forEach(t -> types.put(t, new TypeState()));
  }

  /**
   * The node weft identifies as: id {@code ns/name}, cluster {@code ns} (the contract in
   * docs/controlplane.md), user agent {@code weft}.
   */
  public static io.envoyproxy.envoy.config.core.v3.Node node(String id) {
    int slash = id.indexOf('/');
    if (slash <= 0 || slash == id.length() - 1 || id.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException("node id '" + id + "' must be NAMESPACE/WORKLOAD");
    }
    return io.envoyproxy.envoy.config.core.v3.Node.newBuilder().setId(id)
        .setCluster(id.substring(0, slash)).setUserAgentName("weft").build();
  }

  /** Opens the stream (asynchronously); the proxy serves once the first complete config applies. */
  public void start() {
    loop.execute(this::connect);
  }

  /**
   * Provides or replaces a secret served locally (the workload certificate {@code default}): TLS
   * contexts referring to it are rebuilt for new connections.
   */
  public void putLocalSecret(Secret s) {
    loop.execute(() -> {
      Map<String, Secret> m = new HashMap<>(localSecrets);
      m.put(s.getName(), s);
      localSecrets = Map.copyOf(m);
      XdsRuntime.Check c = runtime.check(resources, localSecrets);
      if (!c.problems().isEmpty()) {
        LOG.warn("local secret '{}' not applied: {}", s.getName(), c.problems());
        return;
      }
      applyQuietly(c);
      subscribe(c.assembled());
    });
  }

  /** The version last ACKed for {@code typeUrl}, or "" (for tests and status). */
  public String ackedVersion(String typeUrl) {
    return acked.getOrDefault(typeUrl, "");
  }

  /** The {@code error_detail} of the last NACK, or "". */
  public String lastNack() {
    return lastNack;
  }

  private void connect() {
    if (closed) {
      return;
    }
    int id = ++streamId;
    LOG.info("xds: opening ADS stream {}", id);
    stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            post(() -> {
              if (id == streamId) {
                onResponse(r);
              }
            });
          }

          @Override
          public void onError(Throwable t) {
            post(() -> streamEnded(id, t.toString()));
          }

          @Override
          public void onCompleted() {
            post(() -> streamEnded(id, "closed by the server"));
          }
        });
    // resync: every type we hold, with the version we accepted (Envoy sends no nonce on a new stream)
    for (String t : ORDER) {
      TypeState st = types.get(t);
      st.nonce = "";
      boolean wildcard = t.equals(CDS) || t.equals(LDS);
      if (t.equals(CDS) || (wildcard && st.requested) || (!wildcard && !st.names.isEmpty())) {
        send(t, st, null);
      }
    }
  }

  private void post(Runnable r) {
    try {
      loop.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closed: the stream's last callbacks have nothing left to update
    }
  }

  private void streamEnded(int id, String why) {
    if (id != streamId || closed) {
      return;
    }
    streamId++;
    var wait = backoff.next();
    LOG.warn("xds: ADS stream ended ({}); serving the last config, reconnecting in {} ms", why,
        wait.toMillis());
    runtime.stats().counter("control_plane.connected_state_lost").inc();
    loop.schedule(this::connect, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void onResponse(DiscoveryResponse r) {
    backoff.reset();
    String type = r.getTypeUrl();
    TypeState st = types.get(type);
    if (st == null) {
      LOG.warn("xds: ignoring response of unknown type {}", type);
      return;
    }
    st.nonce = r.getNonce();
    XdsResources candidate;
    try {
      candidate = merge(type, st, r.getResourcesList());
    } catch (IllegalArgumentException e) {
      nack(type, st, List.of(e.getMessage()));
      return;
    }
    XdsRuntime.Check c = runtime.check(candidate, localSecrets);
    if (!c.problems().isEmpty()) {
      nack(type, st, c.problems());
      return;
    }
    resources = candidate;
    st.version = r.getVersionInfo();
    applyQuietly(c);
    send(type, st, null);
    acked.put(type, st.version);
    runtime.stats().counter("xds." + shortName(type) + ".update_success").inc();
    subscribe(c.assembled());
    // Envoy: LDS once CDS is in and its clusters are warm (every EDS assignment arrived)
    if (!types.get(LDS).requested && !types.get(CDS).version.isEmpty()
        && c.warming().stream().noneMatch(w -> w.startsWith("eds "))) {
      send(LDS, types.get(LDS), null);
    }
  }

  private void applyQuietly(XdsRuntime.Check c) {
    try {
      runtime.apply(c);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Follows the names the accepted config references (EDS, RDS, SDS are not wildcard). */
  private void subscribe(SnapshotAssembler.Result a) {
    follow(EDS, a.edsNames());
    if (types.get(LDS).requested) {
      follow(RDS, a.routeNames());
    }
    follow(SDS, a.secretNames());
  }

  private void follow(String type, Set<String> names) {
    TypeState st = types.get(type);
    if (!st.names.equals(names) && (!names.isEmpty() || st.requested)) {
      st.names = new TreeSet<>(names);
      send(type, st, null);
    }
  }

  private void nack(String type, TypeState st, List<String> problems) {
    String detail = String.join("; ", problems);
    LOG.warn("xds: rejecting {} (nonce {}): {}", shortName(type), st.nonce, detail);
    lastNack = detail;
    runtime.stats().counter("xds." + shortName(type) + ".update_rejected").inc();
    send(type, st, Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value())
        .setMessage(detail).build());
  }

  private void send(String type, TypeState st, Status error) {
    st.requested = true;
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder()
        .setNode(runtime.node())
        .setTypeUrl(type)
        .setVersionInfo(st.version)
        .setResponseNonce(st.nonce)
        .addAllResourceNames(st.names);
    if (error != null) {
      b.setErrorDetail(error);
    }
    try {
      stream.onNext(b.build());
    } catch (RuntimeException e) {
      // the stream is failing; its onError reconnects and resends
      LOG.debug("xds: send failed: {}", e.toString());
    }
  }

  private XdsResources merge(String type, TypeState st, List<Any> list) {
    switch (type) {
      case CDS -> {
        return resources.withClusters(decode(list, Cluster.class, Cluster::getName));
      }
      case LDS -> {
        return resources.withListeners(decode(list, Listener.class, Listener::getName));
      }
      case EDS -> {
        return resources.withEndpoints(overlay(resources.endpoints(), st.names,
            decode(list, ClusterLoadAssignment.class, ClusterLoadAssignment::getClusterName)));
      }
      case RDS -> {
        return resources.withRoutes(overlay(resources.routes(), st.names,
            decode(list, RouteConfiguration.class, RouteConfiguration::getName)));
      }
      case SDS -> {
        return resources.withSecrets(overlay(resources.secrets(), st.names,
            decode(list, Secret.class, Secret::getName)));
      }
      default -> throw new IllegalArgumentException("unsupported type " + type);
    }
  }

  /** Non-wildcard types: a response updates the names it carries; unsubscribed names drop. */
  private static <T> Map<String, T> overlay(Map<String, T> old, Set<String> subscribed,
      Map<String, T> update) {
    Map<String, T> m = new LinkedHashMap<>();
    old.forEach((k, v) -> {
      if (subscribed.contains(k)) {
        m.put(k, v);
      }
    });
    m.putAll(update);
    return m;
  }

  private static <T extends Message> Map<String, T> decode(List<Any> list, Class<T> cls,
      java.util.function.Function<T, String> name) {
    Map<String, T> m = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      T v;
      try {
        v = list.get(i).unpack(cls);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("resources[" + i + "]: cannot decode "
            + list.get(i).getTypeUrl() + " as " + cls.getSimpleName() + ": " + e.getMessage());
      }
      String n = name.apply(v);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("resources[" + i + "]: name must not be empty");
      }
      if (m.put(n, v) != null) {
        throw new IllegalArgumentException("resources[" + i + "]: duplicate name '" + n + "'");
      }
    }
    return m;
  }

  private static String shortName(String type) {
    return switch (type) {
      case CDS -> "cds";
      case EDS -> "eds";
      case LDS -> "lds";
      case RDS -> "rds";
      case SDS -> "sds";
      default -> "unknown";
    };
  }

  @Override
  public void close() {
    closed = true;
    loop.execute(() -> {
      if (stream != null) {
        try {
          stream.onCompleted();
        } catch (RuntimeException e) {
          // already failed
        }
      }
    });
    loop.shutdown();
    try {
      loop.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    channel.shutdownNow();
  }
}
