package weft.controlplane.xds;

import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.security.cert.Certificate;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node authorization on the TLS xDS port, as istiod checks a proxy's identity: a stream may speak
 * only as the node its verified client certificate is for. The node id ({@code ns/workload}) of
 * every xDS request that carries one, and the {@code identifier.node.id} of an access log stream,
 * must map (through {@code spiffeIdOfNode}, the mapping the CA issues by) to exactly the SPIFFE ID
 * in the peer certificate's URI SAN. Otherwise the call ends with PERMISSION_DENIED naming the node
 * id and the peer identity, nothing of it reaches java-control-plane or the flow collector, and the
 * refusal is counted.
 *
 * <p>Identity comes only from the TLS session (ARCHITECTURE.md: never from anything a peer can
 * forge); the node id in a request is a claim to check. SPIFFE IDs name service accounts, so a
 * certificate is good for every workload of its namespace that runs as its service account (as in
 * Istio). Messages of one call arrive serially; the counters are shared.
 */
public final class NodeAuthorizer implements ServerInterceptor {
  private static final Logger log = LoggerFactory.getLogger(NodeAuthorizer.class);
  private static final int URI_SAN = 6;

  private final Function<String, Optional<String>> spiffeIdOfNode;
  private final ProxyStatusRegistry statuses;

  /**
   * @param spiffeIdOfNode node id ({@code ns/workload}) to its SPIFFE ID; empty when unknown
   * @param statuses counts refusals ({@link ProxyStatusRegistry#denied()}, in {@code /api/v1/status})
   */
  public NodeAuthorizer(Function<String, Optional<String>> spiffeIdOfNode, ProxyStatusRegistry statuses) {
    this.spiffeIdOfNode = spiffeIdOfNode;
    this.statuses = statuses;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    String peer = peerIdentity(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    return new SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      private String authorized; // the node id this call was allowed to speak as
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        if (refused) {
          return;
        }
        String node = claimedNode(message);
        if (node == null && authorized == null && !(message instanceof StreamAccessLogsMessage)) {
          refuse("the first request carries no node id (peer identity " + peer + ")");
          return;
        }
        if (node != null && !node.equals(authorized)) {
          Optional<String> expected = spiffeIdOfNode.apply(node);
          if (peer == null || expected.isEmpty() || !expected.get().equals(peer)) {
            refuse("node " + node + " is not authorized for peer identity " + peer + " (expected: "
                + expected.orElse("a known workload") + ")");
            return;
          }
          authorized = node;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }

      private void refuse(String why) {
        refused = true;
        statuses.denied(why);
        log.warn("{}: {}", call.getMethodDescriptor().getServiceName(), why);
        call.close(Status.PERMISSION_DENIED.withDescription(why), new Metadata());
      }
    };
  }

  private static String claimedNode(Object message) {
    return switch (message) {
      case DiscoveryRequest r -> r.hasNode() ? r.getNode().getId() : null;
      case DeltaDiscoveryRequest r -> r.hasNode() ? r.getNode().getId() : null;
      case StreamAccessLogsMessage m ->
          m.hasIdentifier() && m.getIdentifier().hasNode() ? m.getIdentifier().getNode().getId() : null;
      default -> null;
    };
  }

  /** The URI SAN of the verified peer certificate, or null (plaintext, no certificate, no URI). */
  static String peerIdentity(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] certs = session.getPeerCertificates();
      if (certs.length == 0 || !(certs[0] instanceof X509Certificate leaf)
          || leaf.getSubjectAlternativeNames() == null) {
        return null;
      }
      for (List<?> san : leaf.getSubjectAlternativeNames()) {
        if (san.size() == 2 && Integer.valueOf(URI_SAN).equals(san.get(0))
            && san.get(1) instanceof String uri && uri.startsWith("spiffe://")) {
          return uri;
        }
      }
      return null;
    } catch (SSLPeerUnverifiedException | CertificateParsingException e) {
      return null;
    }
  }
}
