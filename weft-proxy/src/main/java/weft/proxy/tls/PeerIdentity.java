package weft.proxy.tls;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Who the peer of a TLS connection proved to be: its certificate's URI SANs (SPIFFE IDs), DNS
 * SANs, subject (RFC 2253, as Envoy's {@code %DOWNSTREAM_PEER_SUBJECT%}) and SHA-256 fingerprint
 * (lower-case hex). Read it once after the handshake completes, for RBAC principals and access
 * logs. Taken only from a certificate the handshake verified, so a peer cannot forge it (when the
 * context does not verify peers, the certificate is merely presented: see the TLS contexts).
 */
public record PeerIdentity(List<String> uriSans, List<String> dnsSans, String subject, String sha256Fingerprint) {
  /** No peer certificate: plaintext, or a client that sent none. */
  public static final PeerIdentity NONE = new PeerIdentity(List.of(), List.of(), "", "");

  public PeerIdentity {
    uriSans = List.copyOf(uriSans);
    dnsSans = List.copyOf(dnsSans);
  }

  /** The identity in a completed handshake's session; {@link #NONE} without a peer certificate. */
  public static PeerIdentity of(SSLSession session) {
    if (session == null) {
      return NONE;
    }
    Certificate[] chain;
    try {
      chain = session.getPeerCertificates();
    } catch (SSLPeerUnverifiedException e) {
      return NONE;
    }
    if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
      return NONE;
    }
    return of(leaf);
  }

  /** The identity of a channel whose pipeline holds a handshaken {@link SslHandler}; else {@link #NONE}. */
  public static PeerIdentity of(Channel channel) {
    SslHandler ssl = channel.pipeline().get(SslHandler.class);
    return ssl == null ? NONE : of(ssl.engine().getSession());
  }

  static PeerIdentity of(X509Certificate leaf) {
    String fingerprint;
    try {
      fingerprint = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
    } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
      fingerprint = "";
    }
    return new PeerIdentity(SanVerifier.sans(leaf, SanVerifier.URI), SanVerifier.sans(leaf, SanVerifier.DNS),
        leaf.getSubjectX500Principal().getName(), fingerprint);
  }

  /** The certificate's first {@code spiffe://} URI SAN, or null. */
  public static String spiffeId(X509Certificate cert) {
    for (String uri : SanVerifier.sans(cert, SanVerifier.URI)) {
      if (uri.startsWith("spiffe://")) {
        return uri;
      }
    }
    return null;
  }

  public boolean isPresent() {
    return !subject.isEmpty() || !uriSans.isEmpty() || !dnsSans.isEmpty();
  }
}
