package weft.proxy.tls;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLException;
import weft.proxy.cluster.UpstreamTransport;
import weft.proxy.cluster.UpstreamTransportFactory;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code UpstreamTlsContext}: the client side of a cluster's TLS. The server
 * certificate is verified against {@code trusted_ca} and the SAN matchers when a validation
 * context has a CA; without one it is not verified (Envoy's behaviour). Host name verification
 * is off (Netty 4.2 turns it on by default): SAN matchers are the identity check, as in Envoy.
 * SNI is sent only when {@code sni} is configured (Envoy sends none otherwise; auto_sni is not
 * supported). Immutable; shared by all connection pools.
 */
public final class UpstreamTls implements UpstreamTransport {
  private final SslContext context;
  private final String sni;
  private final List<String> alpn;

  private UpstreamTls(SslContext context, String sni, List<String> alpn) {
    this.context = context;
    this.sni = sni;
    this.alpn = alpn;
  }

  /**
   * Compiles a cluster's {@code transport_socket}; returns null for plaintext ({@code raw_buffer})
   * and, after recording problems, when it cannot be used.
   */
  public static UpstreamTls compile(TransportSocket ts, ConfigPath path, ConfigProblems problems, Path baseDir) {
    UpstreamTlsContext c = TransportSockets.unpack(
        ts, UpstreamTlsContext.class, UpstreamTlsContext.getDefaultInstance(), path, problems);
    return c == null ? null : compile(c, path.field("typed_config"), problems, baseDir);
  }

  /** Compiles the context; returns null after recording problems. Relative paths resolve against {@code baseDir}. */
  public static UpstreamTls compile(UpstreamTlsContext c, ConfigPath path, ConfigProblems problems, Path baseDir) {
    int before = problems.list().size();
    SupportedFields.check(c, path, problems, "common_tls_context", "sni");
    CommonTls common = CommonTls.compile(c.getCommonTlsContext(), path.field("common_tls_context"),
        problems, baseDir, false);
    if (common == null || problems.list().size() > before) {
      return null;
    }
    try {
      SslContextBuilder b = common.configure(SslContextBuilder.forClient())
          .endpointIdentificationAlgorithm(null)
          .trustManager(common.trustManager());
      if (common.key() != null) {
        b.keyManager(common.key(), common.chain());
      }
      return new UpstreamTls(b.build(), c.getSni(), common.alpn());
    } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
      problems.add(path, "cannot build the TLS context: " + e.getMessage());
      return null;
    }
  }

  /**
   * The cluster package's transport compiler: TLS (and raw_buffer as plaintext) with relative
   * file names resolved against {@code baseDir}. Pass it in {@code ClusterContext}.
   */
  public static UpstreamTransportFactory transports(Path baseDir) {
    return (socket, path, problems) -> compile(socket, path, problems, baseDir);
  }

  /**
   * A new client-side handler for one upstream connection to {@code peerHost:peerPort}; call on
   * its event loop. The peer address only keys session resumption: SNI is the configured
   * {@code sni}, or none.
   */
  @Override
  public SslHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort) {
    return sni.isEmpty() ? context.newHandler(alloc) : context.newHandler(alloc, sni, peerPort);
  }

  public SslContext sslContext() {
    return context;
  }

  /** The configured SNI, or "" when none is sent. */
  public String sni() {
    return sni;
  }

  /** The ALPN protocols offered, in preference order; empty when ALPN is not used. */
  public List<String> alpnProtocols() {
    return alpn;
  }
}
