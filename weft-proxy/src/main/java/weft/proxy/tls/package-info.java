/**
 * TLS from Envoy's {@code DownstreamTlsContext} / {@code UpstreamTlsContext}: compiled once into
 * Netty {@code SslContext}s (BoringSSL through netty-tcnative when it loads, the JDK otherwise),
 * with peer verification against {@code trusted_ca} plus SAN matchers done inside the handshake,
 * so a refused peer never carries application data.
 *
 * <p>Files: {@link weft.proxy.tls.DownstreamTls} and {@link weft.proxy.tls.UpstreamTls} (the
 * public contexts; UpstreamTls is the cluster package's {@code UpstreamTransport}),
 * {@link weft.proxy.tls.PeerIdentity} (who the verified peer is), {@link weft.proxy.tls.TlsStats}
 * (Envoy's {@code ssl.*} counters); package-private: {@code CommonTls} (the shared
 * {@code CommonTlsContext} part), {@code SanVerifier}, {@code VerifyingTrustManager},
 * {@code CipherSuites}, {@code DataSources}, {@code Pem}, {@code TransportSockets},
 * {@code TlsProvider}.
 */
package weft.proxy.tls;
