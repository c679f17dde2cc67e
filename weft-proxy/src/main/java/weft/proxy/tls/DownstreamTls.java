package weft.proxy.tls;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLException;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code DownstreamTlsContext}: the server side of a listener filter chain's TLS.
 * Immutable and shared by every connection of the chain; {@link #newHandler} makes the
 * per-connection {@link SslHandler}. When the validation context has a trusted CA the client
 * certificate is requested, and verified (chain and SAN matchers) if sent; with
 * {@code require_client_certificate} a handshake without one fails. After the handshake,
 * {@link PeerIdentity#of(javax.net.ssl.SSLSession)} reads who the client is.
 */
public final class DownstreamTls {
  private final SslContext context;
  private final boolean requireClientCertificate;
  private final boolean verifiesClients;
  private final List<String> alpn;

  private DownstreamTls(SslContext context, boolean requireClientCertificate, boolean verifiesClients,
      List<String> alpn) {
    this.context = context;
    this.requireClientCertificate = requireClientCertificate;
    this.verifiesClients = verifiesClients;
    this.alpn = alpn;
  }

  /**
   * Compiles a filter chain's {@code transport_socket}; returns null for plaintext
   * ({@code raw_buffer}) and, after recording problems, when it cannot be used.
   */
  public static DownstreamTls compile(
      TransportSocket ts, ConfigPath path, ConfigProblems problems, Path baseDir) {
    DownstreamTlsContext c = TransportSockets.unpack(
        ts, DownstreamTlsContext.class, DownstreamTlsContext.getDefaultInstance(), path, problems);
    return c == null ? null : compile(c, path.field("typed_config"), problems, baseDir);
  }

  /** Compiles the context; returns null after recording problems. Relative paths resolve against {@code baseDir}. */
  public static DownstreamTls compile(
      DownstreamTlsContext c, ConfigPath path, ConfigProblems problems, Path baseDir) {
    int before = problems.list().size();
    SupportedFields.check(c, path, problems, "common_tls_context", "require_client_certificate");
    ConfigPath cp = path.field("common_tls_context");
    CommonTls common = CommonTls.compile(c.getCommonTlsContext(), cp, problems, baseDir, true);
    boolean require = c.hasRequireClientCertificate() && c.getRequireClientCertificate().getValue();
    if (common == null) {
      return null;
    }
    if (common.key() == null) {
      problems.add(cp.field("tls_certificates"), "a certificate is required for a downstream (server) context");
    }
    if (require && common.trustedCas().isEmpty()) {
      problems.add(path.field("require_client_certificate"),
          "needs common_tls_context.validation_context.trusted_ca to verify client certificates");
    }
    if (problems.list().size() > before) {
      return null;
    }
    try {
      SslContextBuilder b = common.configure(SslContextBuilder.forServer(common.key(), common.chain()));
      if (!common.trustedCas().isEmpty()) {
        b.trustManager(common.trustManager()).clientAuth(require ? ClientAuth.REQUIRE : ClientAuth.OPTIONAL);
      } else {
        b.clientAuth(ClientAuth.NONE);
      }
      return new DownstreamTls(b.build(), require, !common.trustedCas().isEmpty(), common.alpn());
    } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
      problems.add(path, "cannot build the TLS context: " + e.getMessage());
      return null;
    }
  }

  /** A new server-side handler for one accepted connection; call on its event loop. */
  public SslHandler newHandler(ByteBufAllocator alloc) {
    return context.newHandler(alloc);
  }

  public SslContext sslContext() {
    return context;
  }

  public boolean requiresClientCertificate() {
    return requireClientCertificate;
  }

  /**
   * Whether client certificates are requested and verified (a trusted CA is configured): only then
   * is {@link PeerIdentity} a client identity that RBAC may trust.
   */
  public boolean verifiesClients() {
    return verifiesClients;
  }

  /** The ALPN protocols offered, in preference order; empty when ALPN is not negotiated. */
  public List<String> alpnProtocols() {
    return alpn;
  }
}
