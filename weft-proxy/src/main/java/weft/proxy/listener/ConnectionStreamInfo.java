package weft.proxy.listener;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import java.util.List;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLSession;
import weft.proxy.tls.PeerIdentity;

/**
 * Envoy's connection-level {@code StreamInfo}: what network filters learn about one downstream
 * connection (when it started, why the proxy closed it, its response flags) and what the
 * listener's and tcp_proxy's access logs read from it. Kept in a channel attribute; written and read
 * only on the connection's event loop.
 */
public final class ConnectionStreamInfo {
  private static final AttributeKey<ConnectionStreamInfo> KEY =
      AttributeKey.valueOf(ConnectionStreamInfo.class, "info");

  private final Channel channel;
  private final long startEpochMillis = System.currentTimeMillis();
  private final long startNanos = System.nanoTime();
  private String terminationDetails;
  private String responseFlags = "";
  private PeerIdentity verifiedPeer;

  private ConnectionStreamInfo(Channel channel) {
    this.channel = channel;
  }

  /** The connection's info, created on first use (the listener creates it when it accepts). */
  public static ConnectionStreamInfo of(Channel ch) {
    ConnectionStreamInfo info = ch.attr(KEY).get();
    if (info == null) {
      info = new ConnectionStreamInfo(ch);
      ch.attr(KEY).set(info);
    }
    return info;
  }

  public long startEpochMillis() {
    return startEpochMillis;
  }

  /** Milliseconds since the connection was accepted. */
  public long elapsedMillis() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }

  /**
   * Envoy's {@code connection_termination_details}: why a filter closed the connection, e.g.
   * {@code rbac_access_denied_matched_policy[deny-all]}.
   */
  public void setConnectionTerminationDetails(String details) {
    this.terminationDetails = details;
  }

  public String connectionTerminationDetails() {
    return terminationDetails;
  }

  /** Adds an Envoy short response flag, e.g. {@code NR} when no filter chain matched. */
  public void addResponseFlag(String flag) {
    responseFlags = responseFlags.isEmpty() ? flag : responseFlags + "," + flag;
  }

  /** The short response flags, "" for none. */
  public String responseFlags() {
    return responseFlags;
  }

  private SSLSession tlsSession() {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl == null ? null : ssl.engine().getSession();
  }

  /** {@code TLSv1.3} etc. once the handshake negotiated one; null for plaintext. */
  public String tlsVersion() {
    SSLSession s = tlsSession();
    String p = s == null ? null : s.getProtocol();
    return p == null || p.equals("NONE") ? null : p;
  }

  /** The client's SNI, from the handshake or the TLS inspector; null when none. */
  public String requestedServerName() {
    if (tlsSession() instanceof ExtendedSSLSession ext) {
      for (SNIServerName n : ext.getRequestedServerNames()) {
        if (n instanceof SNIHostName h) {
          return h.getAsciiName();
        }
      }
    }
    var detected = channel.attr(TlsInspector.RESULT).get();
    return detected == null || detected.serverName().isEmpty() ? null : detected.serverName();
  }

  /**
   * The client certificate's identity, only when the handshake verified it (an unverified
   * certificate is not an identity: anyone can present one); else {@link PeerIdentity#NONE}. Read
   * from the certificate once per connection, after the handshake: network RBAC, the HTTP streams
   * and the access logs all ask.
   */
  public PeerIdentity verifiedPeer() {
    if (verifiedPeer != null) {
      return verifiedPeer;
    }
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    Boolean verified = channel.attr(ListenerServer.PEER_VERIFIED).get();
    if (ssl == null || verified == null || !verified || !ssl.handshakeFuture().isDone()) {
      return PeerIdentity.NONE;
    }
    verifiedPeer = PeerIdentity.of(ssl.engine().getSession());
    return verifiedPeer;
  }

  /** URI SANs of the client certificate, only when the handshake verified it. */
  public List<String> verifiedPeerUriSans() {
    return verifiedPeer().uriSans();
  }
}
