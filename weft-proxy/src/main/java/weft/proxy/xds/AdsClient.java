package weft.proxy.xds;

import com.google.protobuf.MessageLite;
import com.google.rpc.Status;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The proxy's ADS client: one stream, state of the world ({@link Protocol#SOTW}) or incremental
 * ({@link Protocol#DELTA}, Envoy's {@code DELTA_GRPC}), carrying CDS, EDS, LDS, RDS and SDS in
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

  /** The xDS transport protocol variant (Envoy's {@code ApiConfigSource.api_type}). */
  public enum Protocol {
    /** {@code GRPC}: every response carries the whole set of resources of its type. */
    SOTW,
    /**
     * {@code DELTA_GRPC}: responses carry only changed and removed resources, each with its own
     * version; subscriptions change by difference; a new stream states the versions held.
     */
    DELTA
  }

  /** Per type: the last accepted version, the last nonce seen and the names subscribed. */
  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> names = new TreeSet<>();
    boolean requested;
    // delta: the version of each accepted resource, and the names subscribed on this stream
    Map<String, String> versions = new TreeMap<>();
    Set<String> sent = new TreeSet<>();
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
  private final Protocol protocol;
  private StreamObserver<DiscoveryRequest> stream;
  private StreamObserver<DeltaDiscoveryRequest> deltaStream;
  private final java.util.concurrent.atomic.AtomicLong receivedBytes = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.concurrent.atomic.AtomicLong receivedMessages = new java.util.concurrent.atomic.AtomicLong();
  private int streamId;
  private volatile boolean closed;

  /** A plaintext state-of-the-world client (a control plane's insecure xDS port, tests). */
  public AdsClient(String host, int port, XdsRuntime runtime, Backoff backoff) {
    this(host, port, null, runtime, backoff, Protocol.SOTW);
  }

  /** A plaintext client speaking {@code protocol}. */
  public AdsClient(String host, int port, XdsRuntime runtime, Backoff backoff, Protocol protocol) {
    this(host, port, null, runtime, backoff, protocol);
  }

  /**
   * @param tls the channel's mTLS (weft's control plane serves xDS only so); null: plaintext. With
   *     TLS, {@link #start} only once {@code tls} holds the workload certificate.
   */
  public AdsClient(String host, int port, XdsTls tls, XdsRuntime runtime, Backoff backoff, Protocol protocol) {
    this.protocol = protocol;
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

  /**
   * The serialized size of every response received (the protobuf message: gRPC adds 5 bytes of
   * framing each), for measurements.
   */
  public long receivedBytes() {
    return receivedBytes.get();
  }

  /** The number of responses received. */
  public long receivedMessages() {
    return receivedMessages.get();
  }

  public Protocol protocol() {
    return protocol;
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
    LOG.info("xds: opening ADS stream {} ({})", id, protocol);
    if (protocol == Protocol.DELTA) {
      connectDelta(id);
      return;
    }
    stream = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        responses(id, this::onResponse));
    // resync: every type we hold, with the version we accepted (Envoy sends no nonce on a new stream)
    for (String t : ORDER) {
      TypeState st = types.get(t);
      st.nonce = "";
      if (resubscribes(t, st)) {
        send(t, st, null);
      }
    }
  }

  /**
   * Whether a new stream subscribes to {@code type} again: CDS always, LDS once it was requested,
   * the others while they have names.
   */
  private static boolean resubscribes(String type, TypeState st) {
    boolean wildcard = type.equals(CDS) || type.equals(LDS);
    return type.equals(CDS) || (wildcard && st.requested) || (!wildcard && !st.names.isEmpty());
  }

  /**
   * The observer of stream {@code id}'s responses, either protocol: counts what arrives and hands
   * each response to {@code handler} on the client's thread while {@code id} is the current stream.
   */
  private <R extends MessageLite> StreamObserver<R> responses(int id, Consumer<R> handler) {
    return new StreamObserver<>() {
      @Override
      public void onNext(R r) {
        receivedBytes.addAndGet(r.getSerializedSize());
        receivedMessages.incrementAndGet();
        post(() -> {
          if (id == streamId) {
            handler.accept(r);
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
    };
  }

  /**
   * Opens a delta stream. Every type held is subscribed again (CDS and LDS as wildcard, the others
   * by name) with {@code initial_resource_versions}, the versions of the resources it holds, so
   * the server sends only what changed while the proxy was away.
   */
  private void connectDelta(int id) {
    deltaStream = AggregatedDiscoveryServiceGrpc.newStub(channel).deltaAggregatedResources(
        responses(id, this::onDeltaResponse));
    for (String t : ORDER) {
      TypeState st = types.get(t);
      st.nonce = "";
      st.sent = new TreeSet<>();
      boolean wildcard = t.equals(CDS) || t.equals(LDS);
      if (resubscribes(t, st)) {
        st.requested = true;
        // wildcard types: an empty first subscription is Envoy's (legacy) wildcard request
        sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(t)
            .addAllResourceNamesSubscribe(wildcard ? List.of() : st.names)
            .putAllInitialResourceVersions(st.versions));
        st.sent = wildcard ? new TreeSet<>() : new TreeSet<>(st.names);
      }
    }
  }

  private void onDeltaResponse(DeltaDiscoveryResponse r) {
    backoff.reset();
    String type = r.getTypeUrl();
    TypeState st = types.get(type);
    if (st == null) {
      LOG.warn("xds: ignoring delta response of unknown type {}", type);
      return;
    }
    st.nonce = r.getNonce();
    Map<String, String> versions = new TreeMap<>(st.versions);
    XdsResources candidate;
    try {
      candidate = DeltaResources.apply(resources, r, versions);
    } catch (IllegalArgumentException e) {
      nack(type, st, List.of(e.getMessage()));
      return;
    }
    accept(type, st, candidate, r.getSystemVersionInfo(), versions);
  }

  private void sendDelta(DeltaDiscoveryRequest.Builder b) {
    // every request names the node: java-control-plane's cache keys each request by its node
    // (Envoy's set_node_on_first_message_only is an option, off by default)
    b.setNode(runtime.node());
    try {
      deltaStream.onNext(b.build());
    } catch (RuntimeException e) {
      // the stream is failing; its onError reconnects and resubscribes
      LOG.debug("xds: send failed: {}", e.toString());
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
      candidate = SotwResources.apply(resources, type, st.names, r.getResourcesList());
    } catch (IllegalArgumentException e) {
      nack(type, st, List.of(e.getMessage()));
      return;
    }
    accept(type, st, candidate, r.getVersionInfo(), null);
  }

  /**
   * Checks the candidate state after a response of {@code type}: NACKs it, or applies it, ACKs it
   * and follows the names the new config references.
   */
  private void accept(String type, TypeState st, XdsResources candidate, String version,
      Map<String, String> versions) {
    XdsRuntime.Check c = runtime.check(candidate, localSecrets);
    if (!c.problems().isEmpty()) {
      nack(type, st, c.problems());
      return;
    }
    resources = candidate;
    st.version = version;
    if (versions != null) {
      st.versions = versions;
    }
    applyQuietly(c);
    ack(type, st);
    acked.put(type, st.version);
    runtime.stats().counter("xds." + shortName(type) + ".update_success").inc();
    subscribe(c.assembled());
    // Envoy: LDS once CDS is in and its clusters are warm (every EDS assignment arrived)
    if (!types.get(LDS).requested && !types.get(CDS).version.isEmpty()
        && c.warming().stream().noneMatch(w -> w.startsWith("eds "))) {
      subscribeAll(LDS, types.get(LDS));
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
      Set<String> dropped = new TreeSet<>(st.names);
      dropped.removeAll(names);
      st.names = new TreeSet<>(names);
      if (protocol == Protocol.DELTA) {
        // no response will list them again: forget unsubscribed resources now (nothing in force
        // refers to them, the config that did was just replaced)
        resources = DeltaResources.without(resources, type, dropped);
        st.versions.keySet().removeAll(dropped);
      }
      subscribeAll(type, st);
    }
  }

  private void nack(String type, TypeState st, List<String> problems) {
    String detail = String.join("; ", problems);
    LOG.warn("xds: rejecting {} (nonce {}): {}", shortName(type), st.nonce, detail);
    lastNack = detail;
    runtime.stats().counter("xds." + shortName(type) + ".update_rejected").inc();
    Status error = Status.newBuilder().setCode(io.grpc.Status.Code.INVALID_ARGUMENT.value())
        .setMessage(detail).build();
    if (protocol == Protocol.DELTA) {
      sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(st.nonce)
          .setErrorDetail(error));
    } else {
      send(type, st, error);
    }
  }

  /** ACKs the response of {@code type} just applied. */
  private void ack(String type, TypeState st) {
    if (protocol == Protocol.DELTA) {
      sendDelta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(type).setResponseNonce(st.nonce));
    } else {
      send(type, st, null);
    }
  }

  /**
   * Makes the server's subscription of {@code type} {@code st.names} (CDS and LDS: wildcard).
   * SotW sends the whole list; delta sends the difference from what this stream subscribed.
   */
  private void subscribeAll(String type, TypeState st) {
    if (protocol == Protocol.SOTW) {
      send(type, st, null);
      return;
    }
    st.requested = true;
    DeltaDiscoveryRequest.Builder b = DeltaDiscoveryRequest.newBuilder().setTypeUrl(type);
    for (String n : st.names) {
      if (!st.sent.contains(n)) {
        b.addResourceNamesSubscribe(n);
      }
    }
    for (String n : st.sent) {
      if (!st.names.contains(n)) {
        b.addResourceNamesUnsubscribe(n);
      }
    }
    st.sent = new TreeSet<>(st.names);
    sendDelta(b);
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
      try {
        if (stream != null) {
          stream.onCompleted();
        }
        if (deltaStream != null) {
          deltaStream.onCompleted();
        }
      } catch (RuntimeException e) {
        // already failed
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
