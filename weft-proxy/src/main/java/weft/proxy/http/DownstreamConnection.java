package weft.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * The downstream connection a stream arrived on: addresses and TLS state. Immutable. {@code
 * verifiedPeer} is read from the certificate once per connection (RBAC and access logs ask per
 * request; parsing and hashing the certificate each time would cost microseconds per request).
 */
public record DownstreamConnection(
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    SSLSession tlsSession,
    String requestedServerName,
    boolean peerVerified,
    weft.proxy.tls.PeerIdentity verifiedPeer) {

  /** Reads the connection facts from {@code ch} (the parent channel for HTTP/2 streams). */
  public static DownstreamConnection of(Channel ch) {
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    SSLSession session = ssl == null ? null : ssl.engine().getSession();
    String sni = null;
    if (session instanceof javax.net.ssl.ExtendedSSLSession ext) {
      for (javax.net.ssl.SNIServerName n : ext.getRequestedServerNames()) {
        if (n instanceof javax.net.ssl.SNIHostName h) {
          sni = h.getAsciiName();
        }
      }
    }
    boolean verified = Boolean.TRUE.equals(
        ch.attr(weft.proxy.listener.ListenerServer.PEER_VERIFIED).get());
    // the client certificate's identity, only when the handshake verified it; else none
    weft.proxy.tls.PeerIdentity peer = session == null || !verified
        ? weft.proxy.tls.PeerIdentity.NONE : weft.proxy.tls.PeerIdentity.of(session);
    return new DownstreamConnection((InetSocketAddress) ch.remoteAddress(),
        (InetSocketAddress) ch.localAddress(), session, sni, verified, peer);
  }

  public boolean isTls() {
    return tlsSession != null;
  }

  /** {@code https} over TLS, else {@code http}: the value for {@code x-forwarded-proto}. */
  public String scheme() {
    return isTls() ? "https" : "http";
  }
}
