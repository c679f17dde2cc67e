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
  private final CommonTls common;
  private final String sni;
  private final boolean verifiesServer;
  private final List<String> alpn;

  private UpstreamTls(SslContext context, CommonTls common, String sni, boolean verifiesServer, List<String> alpn) {
    this.context = context;
    this.common = common;
    this.sni = sni;
    this.verifiesServer = verifiesServer;
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
      return new UpstreamTls(build(common), common, c.getSni(), !common.trustedCas().isEmpty(), common.alpn());
    } catch (SSLException | GeneralSecurityException | IllegalArgumentException e) {
      problems.add(path, "cannot build the TLS context: " + e.getMessage());
      return null;
    }
  }

  private static SslContext build(CommonTls common) throws SSLException, GeneralSecurityException {
    return build(common, null);
  }

  private static SslContext build(CommonTls common, String endpointIdentification)
      throws SSLException, GeneralSecurityException {
    SslContextBuilder b = common.configure(SslContextBuilder.forClient())
        .endpointIdentificationAlgorithm(endpointIdentification)
        .trustManager(common.trustManager());
    if (common.key() != null) {
      b.keyManager(common.key(), common.chain());
    }
    return b.build();
  }

  /**
   * This context with the ALPN list replaced, as Envoy's connection pools override it (e.g.
   * {@code h2} for an HTTP/2 cluster, which RFC 9113 §3.2 requires over TLS). Call when compiling
   * the cluster, not per connection: it builds a new SslContext.
   */
  public UpstreamTls withApplicationProtocols(List<String> protocols) {
    if (protocols.equals(alpn)) {
      return this;
    }
    CommonTls c = new CommonTls(common.key(), common.chain(), common.trustedCas(), common.sans(),
        common.hasValidationContext(), List.copyOf(protocols), common.protocols(), common.ciphers(), common.curves());
    try {
      return new UpstreamTls(build(c), c, sni, verifiesServer, c.alpn());
    } catch (SSLException | GeneralSecurityException e) {
      // the same settings built a context at compile time; only the ALPN list differs
      throw new IllegalStateException("cannot rebuild the upstream TLS context with ALPN " + protocols, e);
    }
  }

  /**
   * This cluster's TLS for a gRPC channel (an {@code envoy_grpc} service such as a gRPC access log
   * collector): ALPN {@code h2} as Envoy sets it for an HTTP/2 cluster, and endpoint
   * identification "" rather than null, which grpc-netty would turn into an HTTPS host name check
   * (the SAN matchers are the identity check, as on every other upstream connection). Call at
   * compile time: it builds a new SslContext.
   */
  public SslContext grpcContext() {
    CommonTls c = new CommonTls(common.key(), common.chain(), common.trustedCas(), common.sans(),
        common.hasValidationContext(), List.of("h2"), common.protocols(), common.ciphers(), common.curves());
    try {
      return build(c, "");
    } catch (SSLException | GeneralSecurityException e) {
      // the same settings built a context at compile time; only ALPN and host checking differ
      throw new IllegalStateException("cannot build the gRPC TLS context of this cluster", e);
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

  /** Whether the server certificate is verified (a trusted CA is configured); else any is accepted. */
  public boolean verifiesServer() {
    return verifiesServer;
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
