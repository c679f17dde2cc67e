package weft.proxy.http;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import javax.net.ssl.SSLSession;

/**
 * The downstream connection a stream arrived on: addresses and TLS state. Immutable. {@code
 * verifiedPeer} comes from the connection's {@link weft.proxy.listener.ConnectionStreamInfo}, which
 * reads the certificate once per connection.
 */
public record DownstreamConnection(
    InetSocketAddress remoteAddress,
    InetSocketAddress localAddress,
    SSLSession tlsSession,
    String requestedServerName,
    boolean peerVerified,
    weft.proxy.tls.PeerIdentity verifiedPeer,
    String remoteIp) {

  /**
   * As the canonical constructor, with {@code remoteIp} (the peer's address as text, for
   * x-forwarded-for and the trusted client address) formatted once here rather than per request.
   */
  public DownstreamConnection(InetSocketAddress remoteAddress, InetSocketAddress localAddress,
      SSLSession tlsSession, String requestedServerName, boolean peerVerified,
      weft.proxy.tls.PeerIdentity verifiedPeer) {
    this(remoteAddress, localAddress, tlsSession, requestedServerName, peerVerified, verifiedPeer,
        remoteAddress.getAddress() == null
            ? remoteAddress.getHostString() : remoteAddress.getAddress().getHostAddress());
  }

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
    weft.proxy.tls.PeerIdentity peer = weft.proxy.listener.ConnectionStreamInfo.of(ch).verifiedPeer();
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
