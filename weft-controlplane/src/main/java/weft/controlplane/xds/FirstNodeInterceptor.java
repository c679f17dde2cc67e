package weft.controlplane.xds;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Copies a stream's first {@code node} into its later requests that leave it out. Envoy with {@code
 * set_node_on_first_message_only} sends the node once per stream, but java-control-plane's cache
 * keys every request by the node it carries: without this, such a proxy's second request would
 * watch the snapshot of node "".
 */
final class FirstNodeInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private Node node; // requests of one call arrive serially

      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        Q filled = message;
        if (message instanceof DiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            filled = (Q) r.toBuilder().setNode(node).build();
          }
        } else if (message instanceof DeltaDiscoveryRequest r) {
          if (r.hasNode()) {
            node = r.getNode();
          } else if (node != null) {
            filled = (Q) r.toBuilder().setNode(node).build();
          }
        }
        super.onMessage(filled);
      }
    };
  }
}
