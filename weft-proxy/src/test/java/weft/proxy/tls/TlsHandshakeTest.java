package weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsParameters;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Real handshakes on loopback between compiled downstream and upstream contexts. */
@Timeout(30)
class TlsHandshakeTest {
  @TempDir static Path dir;
  static TestPki pki;
  static TestPki.Issued backend;
  static TestPki.Issued tweet;
  static TestPki.Issued rogue;

  TlsPeers peers = new TlsPeers();
  final weft.proxy.observe.StatsStore store = new weft.proxy.observe.StatsStore();
  final TlsStats serverStats = TlsStats.create(store, "listener.test");
  final TlsStats clientStats = TlsStats.create(store, "cluster.test");

  int serve(DownstreamTls tls) {
    return peers.serve(ch -> serverStats.observe(tls.newHandler(ch.alloc())));
  }

  TlsPeers.Client connect(UpstreamTls tls, int port) {
    return peers.connect(ch -> clientStats.observe(tls.newHandler(ch.alloc(), "127.0.0.1", port)), port);
  }

  @BeforeAll
  static void pki() {
    pki = TestPki.create(dir);
    backend = pki.issue("backend", TestPki.KeyType.EC_P256, "dns:backend.example.com", "uri:" + TestPki.spiffe("default", "backend"));
    tweet = pki.issue("tweet", TestPki.KeyType.RSA_2048, "uri:" + TestPki.spiffe("default", "tweet"));
    rogue = TestPki.create(dir, "rogue-ca").issue("rogue", TestPki.KeyType.EC_P256, "uri:" + TestPki.spiffe("default", "tweet"));
  }

  @AfterEach
  void close() {
    peers.close();
  }

  static DataSource file(Path p) {
    // relative to the base dir, as configs write them
    return DataSource.newBuilder().setFilename(dir.relativize(p).toString()).build();
  }

  static TlsCertificate cert(TestPki.Issued i) {
    return TlsCertificate.newBuilder().setCertificateChain(file(i.certPem())).setPrivateKey(file(i.keyPem())).build();
  }

  static SubjectAltNameMatcher san(SubjectAltNameMatcher.SanType type, String exact) {
    return SubjectAltNameMatcher.newBuilder().setSanType(type)
        .setMatcher(StringMatcher.newBuilder().setExact(exact)).build();
  }

  static CertificateValidationContext validation(SubjectAltNameMatcher... sans) {
    return CertificateValidationContext.newBuilder().setTrustedCa(file(pki.caPem()))
        .addAllMatchTypedSubjectAltNames(List.of(sans)).build();
  }

  static DownstreamTls downstream(DownstreamTlsContext c) {
    ConfigProblems problems = new ConfigProblems();
    DownstreamTls tls = DownstreamTls.compile(c, ConfigPath.of("tls"), problems, dir);
    assertThat(problems.list()).isEmpty();
    assertThat(tls.verifiesClients()).isEqualTo(c.getCommonTlsContext().getValidationContext().hasTrustedCa());
    return tls;
  }

  static UpstreamTls upstream(UpstreamTlsContext c) {
    ConfigProblems problems = new ConfigProblems();
    UpstreamTls tls = UpstreamTls.compile(c, ConfigPath.of("tls"), problems, dir);
    assertThat(problems.list()).isEmpty();
    assertThat(tls.verifiesServer()).isEqualTo(c.getCommonTlsContext().getValidationContext().hasTrustedCa());
    return tls;
  }

  static DownstreamTlsContext mtlsServer(SubjectAltNameMatcher... clientSans) {
    return DownstreamTlsContext.newBuilder().setRequireClientCertificate(BoolValue.of(true))
        .setCommonTlsContext(CommonTlsContext.newBuilder().addTlsCertificates(cert(backend))
            .setValidationContext(validation(clientSans))).build();
  }

  static UpstreamTlsContext mtlsClient(TestPki.Issued as, SubjectAltNameMatcher... serverSans) {
    return UpstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
        .addTlsCertificates(cert(as)).setValidationContext(validation(serverSans))).build();
  }

  @Test
  void mutualTlsVerifiesBothSidesAndExposesTheClientSpiffeId() {
    int port = serve(downstream(mtlsServer(
        san(SubjectAltNameMatcher.SanType.URI, TestPki.spiffe("default", "tweet")))));
    TlsPeers.Client client = connect(upstream(mtlsClient(tweet,
        san(SubjectAltNameMatcher.SanType.DNS, "backend.example.com"))), port);

    assertThat(client.handshake()).isTrue();
    client.send("ping");
    assertThat(client.reply.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("PING");
    PeerIdentity clientId = peers.side().handshake.join();
    assertThat(clientId.uriSans()).containsExactly("spiffe://cluster.local/ns/default/sa/tweet");
    assertThat(clientId.subject()).isEqualTo("CN=tweet,O=weft");
    assertThat(clientId.sha256Fingerprint()).hasSize(64);
    PeerIdentity serverId = PeerIdentity.of(client.channel);
    assertThat(serverId.dnsSans()).containsExactly("backend.example.com");
    assertThat(serverId.uriSans()).containsExactly(TestPki.spiffe("default", "backend"));
    await().untilAsserted(() -> assertThat(store.counter("listener.test.ssl.handshake").value()).isEqualTo(1));
    await().untilAsserted(() -> assertThat(store.counter("cluster.test.ssl.handshake").value()).isEqualTo(1));
  }

  @Test
  void upstreamRefusesAServerWhoseSanMatchesNoMatcher() {
    int port = serve(downstream(mtlsServer()));
    TlsPeers.Client client = connect(upstream(mtlsClient(tweet,
        san(SubjectAltNameMatcher.SanType.DNS, "proxy-postgres-backend.example.com"))), port);

    assertThat(client.handshake()).isFalse();
    assertThat(client.ssl.handshakeFuture().cause()).hasStackTraceContaining("match none of");
    await().untilAsserted(() -> assertThat(clientStats.failVerifySan().value()).isEqualTo(1));
    assertThat(client.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    assertThat(peers.side().received).isNotDone();
  }

  @Test
  void downstreamRefusesAClientWhoseUriSanIsNotAllowed() {
    int port = serve(downstream(mtlsServer(
        san(SubjectAltNameMatcher.SanType.URI, TestPki.spiffe("default", "jobs")))));
    TlsPeers.Client client = connect(upstream(mtlsClient(tweet)), port);
    client.handshake();
    client.send("ping");

    assertThatThrownBy(() -> peers.side().handshake.orTimeout(10, TimeUnit.SECONDS).join())
        .hasStackTraceContaining("match none of");
    await().untilAsserted(() -> assertThat(serverStats.failVerifySan().value()).isEqualTo(1));
    assertThat(client.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    assertThat(peers.side().received).isNotDone();
  }

  @Test
  void downstreamRefusesAClientWithoutCertificateWhenOneIsRequired() {
    int port = serve(downstream(mtlsServer()));
    TlsPeers.Client client = connect(upstream(UpstreamTlsContext.getDefaultInstance()), port);
    client.handshake();
    client.send("ping");

    assertThatThrownBy(() -> peers.side().handshake.orTimeout(10, TimeUnit.SECONDS).join()).isNotNull();
    await().untilAsserted(() -> assertThat(serverStats.failVerifyNoCert().value()).isEqualTo(1));
    assertThat(client.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    assertThat(peers.side().received).isNotDone();
  }

  @Test
  void downstreamRefusesAClientSignedByAnotherCa() {
    int port = serve(downstream(mtlsServer()));
    TlsPeers.Client client = connect(upstream(mtlsClient(rogue)), port);
    client.handshake();
    client.send("ping");

    assertThatThrownBy(() -> peers.side().handshake.orTimeout(10, TimeUnit.SECONDS).join()).isNotNull();
    // BoringSSL and the JDK clients send no certificate for a CA the server does not list
    await().untilAsserted(() -> assertThat(serverStats.failVerifyError().value() + serverStats.failVerifyNoCert().value())
        .isEqualTo(1));
    assertThat(client.channel.closeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS)).isTrue();
    assertThat(peers.side().received).isNotDone();
  }

  @Test
  void optionalClientCertificateLeavesAnAnonymousClientWithoutIdentity() {
    DownstreamTlsContext c = mtlsServer().toBuilder().clearRequireClientCertificate().build();
    int port = serve(downstream(c));
    TlsPeers.Client client = connect(upstream(UpstreamTlsContext.getDefaultInstance()), port);

    assertThat(client.handshake()).isTrue();
    client.send("ping");
    assertThat(client.reply.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("PING");
    assertThat(peers.side().handshake.join()).isEqualTo(PeerIdentity.NONE);
    await().untilAsserted(() -> assertThat(serverStats.noCertificate().value()).isEqualTo(1));
  }

  @Test
  void upstreamWithoutValidationContextAcceptsAnyServerAndSendsNoSni() {
    TestPki.Issued selfish = TestPki.create(dir, "other-ca").issue("elsewhere", TestPki.KeyType.RSA_2048);
    int port = serve(downstream(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(selfish))).build()));
    TlsPeers.Client client = connect(upstream(UpstreamTlsContext.getDefaultInstance()), port);

    assertThat(client.handshake()).isTrue();
    client.send("x");
    assertThat(client.reply.orTimeout(10, TimeUnit.SECONDS).join()).isEqualTo("X");
    assertThat(peers.side().sni).isNull();
  }

  @Test
  void upstreamSendsTheConfiguredSni() {
    int port = serve(downstream(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(backend))).build()));
    TlsPeers.Client client = connect(upstream(
        UpstreamTlsContext.newBuilder().setSni("domain1.example.com").build()), port);

    assertThat(client.handshake()).isTrue();
    peers.side().handshake.join();
    assertThat(peers.side().sni).isEqualTo("domain1.example.com");
  }

  @Test
  void tlsParamsCanRestrictTheServerToTls13() throws Exception {
    DownstreamTlsContext c = DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(backend)).setTlsParams(TlsParameters.newBuilder()
            .setTlsMinimumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3)
            .setTlsMaximumProtocolVersion(TlsParameters.TlsProtocol.TLSv1_3))).build();
    int port = serve(downstream(c));
    // Envoy's client default is TLS 1.2 only: it cannot talk to this server
    TlsPeers.Client tls12 = connect(upstream(UpstreamTlsContext.getDefaultInstance()), port);
    assertThat(tls12.handshake()).isFalse();

    var tls13Only = SslContextBuilder.forClient().protocols("TLSv1.3")
        .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    TlsPeers.Client tls13 = peers.connect(ch -> tls13Only.newHandler(ch.alloc()), port);
    assertThat(tls13.handshake()).isTrue();
    assertThat(tls13.ssl.engine().getSession().getProtocol()).isEqualTo("TLSv1.3");
  }

  @Test
  void alpnNegotiatesH2WhenBothSidesOfferIt() {
    int port = serve(downstream(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(backend)).addAlpnProtocols("h2")
            .addAlpnProtocols("http/1.1")).build()));
    TlsPeers.Client client = connect(upstream(UpstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addAlpnProtocols("h2").addAlpnProtocols("http/1.1")).build()), port);

    assertThat(client.handshake()).isTrue();
    assertThat(client.ssl.applicationProtocol()).isEqualTo("h2");
    peers.side().handshake.join();
    assertThat(peers.side().alpn).isEqualTo("h2");
  }

  @Test
  void aConnectionPoolCanOverrideTheUpstreamAlpnList() {
    int port = serve(downstream(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(backend)).addAlpnProtocols("h2")
            .addAlpnProtocols("http/1.1")).build()));
    UpstreamTls plain = upstream(UpstreamTlsContext.getDefaultInstance());
    UpstreamTls h2 = plain.withApplicationProtocols(List.of("h2"));
    assertThat(h2.alpnProtocols()).containsExactly("h2");
    assertThat(plain.alpnProtocols()).isEmpty();
    TlsPeers.Client client = connect(h2, port);

    assertThat(client.handshake()).isTrue();
    assertThat(client.ssl.applicationProtocol()).isEqualTo("h2");
  }

  @Test
  void alpnWithoutOverlapStillConnectsWithoutAProtocol() {
    int port = serve(downstream(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(cert(backend)).addAlpnProtocols("h2")).build()));
    TlsPeers.Client client = connect(upstream(UpstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addAlpnProtocols("http/1.1")).build()), port);

    assertThat(client.handshake()).isTrue();
    assertThat(client.ssl.applicationProtocol()).isNull();
  }
}
