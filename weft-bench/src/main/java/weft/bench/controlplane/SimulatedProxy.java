package weft.bench.controlplane;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A lean sidecar on ADS state-of-the-world, as weft's proxy and Envoy subscribe: CDS (wildcard)
 * first; EDS for the EDS clusters' service names; LDS (wildcard) once the first EDS answer is in;
 * RDS for the route configurations the listeners' HTTP connection managers name; SDS for {@code
 * ROOTCA} (the workload certificate {@code default} is the proxy's own, never requested: see
 * docs/controlplane.md). Every response is ACKed at once; nothing is compiled or kept beyond names
 * and versions, so a thousand of them fit in one JVM beside the control plane.
 *
 * <p>Threading: responses arrive on the channel's transport thread (the channel runs callbacks
 * directly) and the first request is sent from the caller; both take this object's monitor, as a
 * gRPC request stream is not thread-safe. {@link #acked} is read from any thread.
 */
final class SimulatedProxy {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String EDS = "type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment";
  static final String LDS = "type.googleapis.com/envoy.config.listener.v3.Listener";
  static final String RDS = "type.googleapis.com/envoy.config.route.v3.RouteConfiguration";
  static final String SDS = "type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret";
  private static final String HCM = "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager";

  /** The first ACK of a version of one type: when this proxy sent it ({@link System#nanoTime}). */
  record Ack(String version, long nanos) {}

  /** Per type: last version accepted, last nonce, names subscribed (empty: wildcard). */
  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> names = Set.of();
  }

  private final Node node;
  private final Channel channel;
  private final AtomicLong bytesReceived;
  private final Map<String, TypeState> types = new ConcurrentHashMap<>();
  private final Map<String, Ack> acked = new ConcurrentHashMap<>();
  private volatile String failure = "";
  private StreamObserver<DiscoveryRequest> requests;
  private boolean ldsRequested;

  /**
   * @param bytesReceived shared counter of serialized response bytes (what the control plane pushed)
   */
  SimulatedProxy(String nodeId, Channel channel, AtomicLong bytesReceived) {
    int slash = nodeId.indexOf('/');
    this.node = Node.newBuilder().setId(nodeId).setCluster(nodeId.substring(0, slash))
        .setUserAgentName("weft-bench").build();
    this.channel = channel;
    this.bytesReceived = bytesReceived;
    for (String t : new String[] {CDS, EDS, LDS, RDS, SDS}) {
      types.put(t, new TypeState());
    }
  }

  String nodeId() {
    return node.getId();
  }

  /** Opens the stream and asks for clusters. */
  synchronized void start() {
    requests = AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
      @Override
      public void onNext(DiscoveryResponse r) {
        onResponse(r);
      }

      @Override
      public void onError(Throwable t) {
        failure = "stream failed: " + t;
      }

      @Override
      public void onCompleted() {
        failure = "stream closed by the control plane";
      }
    });
    send(CDS, types.get(CDS));
  }

  /** The first ACK of the newest version this proxy accepted per type URL. */
  Map<String, Ack> acked() {
    return acked;
  }

  /** Why the stream ended, or "" while it is open. */
  String failure() {
    return failure;
  }

  synchronized void close() {
    if (requests != null && failure.isEmpty()) {
      try {
        requests.onCompleted();
      } catch (RuntimeException e) {
        // the stream already failed; nothing to end
      }
    }
  }

  private synchronized void onResponse(DiscoveryResponse r) {
    long now = System.nanoTime();
    bytesReceived.addAndGet(r.getSerializedSize());
    String type = r.getTypeUrl();
    TypeState st = types.get(type);
    if (st == null) {
      return; // a type this sidecar never asked for
    }
    st.nonce = r.getNonce();
    st.version = r.getVersionInfo();
    Set<String> follow;
    try {
      follow = switch (type) {
        case CDS -> edsNames(r);
        case LDS -> routeNames(r);
        default -> null;
      };
    } catch (InvalidProtocolBufferException e) {
      failure = "cannot decode " + type + ": " + e.getMessage();
      return;
    }
    send(type, st);
    Ack last = acked.get(type);
    if (last == null || !last.version().equals(st.version)) {
      acked.put(type, new Ack(st.version, now));
    }
    if (type.equals(CDS)) {
      subscribe(EDS, follow);
      subscribe(SDS, Set.of("ROOTCA"));
    } else if (type.equals(LDS)) {
      subscribe(RDS, follow);
    } else if (type.equals(EDS) && !ldsRequested) {
      // Envoy and weft's proxy: listeners once the clusters are warm
      ldsRequested = true;
      send(LDS, types.get(LDS));
    }
  }

  private void subscribe(String type, Set<String> names) {
    TypeState st = types.get(type);
    if (!names.isEmpty() && !names.equals(st.names)) {
      st.names = names;
      send(type, st);
    }
  }

  private void send(String type, TypeState st) {
    // the node on every request, as weft's proxy and Envoy (set_node_on_first_message_only: false)
    DiscoveryRequest.Builder b = DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(type)
        .setVersionInfo(st.version).setResponseNonce(st.nonce).addAllResourceNames(st.names);
    try {
      requests.onNext(b.build());
    } catch (RuntimeException e) {
      failure = "send failed: " + e;
    }
  }

  private static Set<String> edsNames(DiscoveryResponse r) throws InvalidProtocolBufferException {
    Set<String> names = new TreeSet<>();
    for (Any a : r.getResourcesList()) {
      Cluster c = a.unpack(Cluster.class);
      if (c.getType() == Cluster.DiscoveryType.EDS) {
        String service = c.getEdsClusterConfig().getServiceName();
        names.add(service.isEmpty() ? c.getName() : service);
      }
    }
    return names;
  }

  private static Set<String> routeNames(DiscoveryResponse r) throws InvalidProtocolBufferException {
    Set<String> names = new TreeSet<>();
    for (Any a : r.getResourcesList()) {
      Listener l = a.unpack(Listener.class);
      for (FilterChain fc : l.getFilterChainsList()) {
        for (Filter f : fc.getFiltersList()) {
          if (f.hasTypedConfig() && f.getTypedConfig().getTypeUrl().equals(HCM)) {
            HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
            if (hcm.hasRds()) {
              names.add(hcm.getRds().getRouteConfigName());
            }
          }
        }
      }
    }
    return names;
  }
}
