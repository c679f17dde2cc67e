package weft.controlplane.xds;

import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps a state-of-the-world NACK from being answered with the very version it rejected.
 *
 * <p>A NACK carries the proxy's last good {@code version_info}; java-control-plane's cache sees that
 * it differs from the snapshot's and answers at once with the same snapshot, which the proxy
 * rejects again: a tight NACK loop. xDS expects the server to wait for new config instead. This
 * interceptor remembers, per stream and type, the nonce and version of the last response sent, and
 * presents a NACK of that response to java-control-plane as being at the rejected version, so the
 * watch waits for the next change. The error detail stays, so the NACK is still recorded. (Delta
 * streams track per-resource versions and do not loop.)
 */
final class NackHoldInterceptor implements ServerInterceptor {
  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    // responses are sent from publishing threads while requests arrive on the call's executor
    Map<String, Sent> lastSent = new ConcurrentHashMap<>();
    ServerCall<Q, R> recording = new SimpleForwardingServerCall<>(call) {
      @Override
      public void sendMessage(R message) {
        if (message instanceof DiscoveryResponse r) {
          lastSent.put(r.getTypeUrl(), new Sent(r.getNonce(), r.getVersionInfo()));
        }
        super.sendMessage(message);
      }
    };
    return new SimpleForwardingServerCallListener<>(next.startCall(recording, headers)) {
      @Override
      @SuppressWarnings("unchecked")
      public void onMessage(Q message) {
        if (message instanceof DiscoveryRequest r && r.hasErrorDetail()) {
          Sent sent = lastSent.get(r.getTypeUrl());
          if (sent != null && sent.nonce.equals(r.getResponseNonce())) {
            super.onMessage((Q) r.toBuilder().setVersionInfo(sent.version).build());
            return;
          }
        }
        super.onMessage(message);
      }
    };
  }

  private record Sent(String nonce, String version) {}
}
