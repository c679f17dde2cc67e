package weft.controlplane.xds;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;

/**
 * Fills in what the xDS protocol lets a request leave implicit, before java-control-plane sees it:
 *
 * <ul>
 *   <li>the node, after a stream's first request: Envoy with {@code set_node_on_first_message_only}
 *       sends it once per stream, but java-control-plane's cache keys every request by the node it
 *       carries (a second request would watch the snapshot of node "");
 *   <li>the type URL on the per-type services (CDS, EDS, ...), where the service implies it:
 *       java-control-plane's cache refuses a request without one.
 * </ul>
 */
final class RequestDefaultsInterceptor implements ServerInterceptor {
  private static final Map<String, String> TYPE_OF_SERVICE = Map.of(
      "envoy.service.listener.v3.ListenerDiscoveryService", Resources.V3.LISTENER_TYPE_URL,
      "envoy.service.route.v3.RouteDiscoveryService", Resources.V3.ROUTE_TYPE_URL,
      "envoy.service.cluster.v3.ClusterDiscoveryService", Resources.V3.CLUSTER_TYPE_URL,
      "envoy.service.endpoint.v3.EndpointDiscoveryService", Resources.V3.ENDPOINT_TYPE_URL,
      "envoy.service.secret.v3.SecretDiscoveryService", Resources.V3.SECRET_TYPE_URL);

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String impliedType =
        TYPE_OF_SERVICE.getOrDefault(call.getMethodDescriptor().getServiceName(), "");
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private Node node; // requests of one call arrive serially

      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        Q filled = message;
        if (message instanceof DiscoveryRequest r) {
          node = r.hasNode() ? r.getNode() : node;
          boolean addNode = !r.hasNode() && node != null;
          boolean addType = r.getTypeUrl().isEmpty() && !impliedType.isEmpty();
          if (addNode || addType) {
            DiscoveryRequest.Builder b = r.toBuilder();
            filled = (Q) (addNode ? b.setNode(node) : b)
                .setTypeUrl(addType ? impliedType : r.getTypeUrl()).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest r) {
          node = r.hasNode() ? r.getNode() : node;
          boolean addNode = !r.hasNode() && node != null;
          boolean addType = r.getTypeUrl().isEmpty() && !impliedType.isEmpty();
          if (addNode || addType) {
            DeltaDiscoveryRequest.Builder b = r.toBuilder();
            filled = (Q) (addNode ? b.setNode(node) : b)
                .setTypeUrl(addType ? impliedType : r.getTypeUrl()).build();
          }
        }
        super.onMessage(filled);
      }
    };
  }
}
