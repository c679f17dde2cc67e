package weft.controlplane.xds;

import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns java-control-plane's stream callbacks into {@link ProxyStatusRegistry} events: a stream
 * belongs to the node named in its first request; a request carrying the nonce of the last response
 * of its type is an ACK, or a NACK when it has {@code error_detail} (xDS protocol, "ACK/NACK and
 * resource type instance version").
 *
 * <p>Requests of one stream arrive serially; responses are sent from publishing threads, hence the
 * concurrent maps.
 */
final class StatusCallbacks implements DiscoveryServerCallbacks {
  private final ProxyStatusRegistry registry;
  private final Consumer<String> onNodeSeen;
  private final Consumer<String> onNodeClosed;
  private final Map<Long, StreamState> streams = new ConcurrentHashMap<>();

  /**
   * @param onNodeSeen called with the node id on a stream's first request, before the server opens
   *     a watch for it (the server makes sure the node has a snapshot)
   * @param onNodeClosed called with the node id after one of its streams closed
   */
  StatusCallbacks(
      ProxyStatusRegistry registry, Consumer<String> onNodeSeen, Consumer<String> onNodeClosed) {
    this.registry = registry;
    this.onNodeSeen = onNodeSeen;
    this.onNodeClosed = onNodeClosed;
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    StreamState stream = stream(streamId, request.getNode().getId());
    if (request.getResponseNonce().isEmpty()) {
      return;
    }
    Sent sent = stream.lastSent.get(request.getTypeUrl());
    if (sent == null || !sent.nonce.equals(request.getResponseNonce())) {
      return; // a stale nonce: the proxy answers a response it has since been sent a newer one for
    }
    if (request.hasErrorDetail()) {
      registry.nacked(
          stream.nodeId, request.getTypeUrl(), sent.version, request.getErrorDetail().getMessage());
    } else {
      registry.acked(stream.nodeId, request.getTypeUrl(), sent.version);
    }
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    StreamState stream = stream(streamId, request.getNode().getId());
    if (request.getResponseNonce().isEmpty()) {
      return;
    }
    Sent sent = stream.lastSent.get(request.getTypeUrl());
    if (sent == null || !sent.nonce.equals(request.getResponseNonce())) {
      return;
    }
    if (request.hasErrorDetail()) {
      registry.nacked(
          stream.nodeId, request.getTypeUrl(), sent.version, request.getErrorDetail().getMessage());
    } else {
      registry.acked(stream.nodeId, request.getTypeUrl(), sent.version);
    }
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.lastSent.put(
          response.getTypeUrl(), new Sent(response.getNonce(), response.getVersionInfo()));
      registry.sent(stream.nodeId, response.getTypeUrl(), response.getVersionInfo());
    }
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    StreamState stream = streams.get(streamId);
    if (stream != null) {
      stream.lastSent.put(
          response.getTypeUrl(), new Sent(response.getNonce(), response.getSystemVersionInfo()));
      registry.sent(stream.nodeId, response.getTypeUrl(), response.getSystemVersionInfo());
    }
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    closed(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    closed(streamId);
  }

  private void closed(long streamId) {
    StreamState stream = streams.remove(streamId);
    if (stream != null) {
      registry.streamClosed(stream.nodeId);
      onNodeClosed.accept(stream.nodeId);
    }
  }

  private StreamState stream(long streamId, String nodeIdInRequest) {
    StreamState stream = streams.get(streamId);
    if (stream == null) {
      // only the first request must carry the node (Envoy's set_node_on_first_message_only)
      stream = new StreamState(nodeIdInRequest);
      streams.put(streamId, stream);
      // seen first: once a node shows as connected, the server has decided what it is served
      onNodeSeen.accept(nodeIdInRequest);
      registry.streamStarted(nodeIdInRequest);
    }
    return stream;
  }

  private record Sent(String nonce, String version) {}

  private static final class StreamState {
    final String nodeId;
    final Map<String, Sent> lastSent = new ConcurrentHashMap<>();

    StreamState(String nodeId) {
      this.nodeId = nodeId;
    }
  }
}
