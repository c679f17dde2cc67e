package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.observe.StatsStore;

/**
 * SDS: a TLS listener's certificate is the local {@code default} secret and its trust bundle the
 * {@code ROOTCA} secret from the ADS server; rotating {@code default} serves new connections with
 * the new certificate while an established connection keeps working on the old one.
 */
@Timeout(60)
class SdsRotationTest {

  private static Listener tlsListener() {
    Listener tls = TestAds.parse("""
        filter_chains:
        - transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              common_tls_context:
                tls_certificate_sds_secret_configs: [{name: default, sds_config: {ads: {}}}]
                validation_context_sds_secret_config: {name: ROOTCA, sds_config: {ads: {}}}
        """, Listener.newBuilder());
    Listener plain = TestAds.httpListener("https", 0, "local");
    return plain.toBuilder().setFilterChains(0, plain.getFilterChains(0).toBuilder()
        .setTransportSocket(tls.getFilterChains(0).getTransportSocket())).build();
  }

  private static Secret certificate(TestCa ca, String cn) throws Exception {
    KeyPair key = TestCa.ecKey();
    X509Certificate cert = ca.sign(new X500Name("CN=" + cn), key.getPublic(), Duration.ofHours(1),
        "spiffe://cluster.local/ns/shop/sa/web");
    String keyPem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    return Secret.newBuilder().setName("default").setTlsCertificate(TlsCertificate.newBuilder()
        .setCertificateChain(DataSource.newBuilder().setInlineString(TestCa.pem(cert)))
        .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem))).build();
  }

  /** A keep-alive HTTPS client that trusts anything (the test reads the certificate it got). */
  private static final class Client implements AutoCloseable {
    final SSLSocket socket;
    final BufferedReader in;

    Client(InetSocketAddress a) throws Exception {
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, new TrustManager[] {new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] c, String t) {}

        @Override
        public void checkServerTrusted(X509Certificate[] c, String t) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
          return new X509Certificate[0];
        }
      }}, null);
      socket = (SSLSocket) ctx.getSocketFactory().createSocket(a.getAddress(), a.getPort());
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
    }

    String peer() throws Exception {
      return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
          .getName();
    }

    String get() throws Exception {
      socket.getOutputStream().write("GET / HTTP/1.1\r\nhost: shop\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String status = in.readLine();
      int length = 0;
      for (String h = in.readLine(); !h.isEmpty(); h = in.readLine()) {
        if (h.toLowerCase().startsWith("content-length:")) {
          length = Integer.parseInt(h.substring(15).trim());
        }
      }
      char[] body = new char[length];
      for (int n = 0; n < length; ) {
        n += in.read(body, n, length - n);
      }
      return status.substring(9, 12) + " " + new String(body);
    }

    @Override
    public void close() throws Exception {
      socket.close();
    }
  }

  @Test
  void rotatingTheDefaultSecretServesNewConnectionsAndKeepsEstablishedOnes() throws Exception {
    try (TestCa ca = new TestCa("t");
        HttpPeers.Backend backend = new HttpPeers.Backend("a");
        TestAds cp = new TestAds(0);
        XdsRuntime runtime = new XdsRuntime(AdsClient.node(TestAds.NODE), 1, new StatsStore(),
            Duration.ofSeconds(5));
        AdsClient client = new AdsClient("127.0.0.1", cp.port(), runtime,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)))) {
      Secret rootCa = Secret.newBuilder().setName("ROOTCA").setValidationContext(
          CertificateValidationContext.newBuilder().setTrustedCa(
              DataSource.newBuilder().setInlineString(TestCa.pem(ca.root)))).build();
      cp.set("1", List.of(TestAds.edsCluster("a")), List.of(TestAds.endpoints("a", backend.port())),
          List.of(tlsListener()), List.of(TestAds.routeTo("local", "a")), List.of(rootCa));
      client.start();
      // warming: without 'default' the listener must not serve
      await().until(() -> client.ackedVersion(AdsClient.SDS).equals("1"));
      assertThat(runtime.listenerAddress("https")).isNull();

      client.putLocalSecret(certificate(ca, "first"));
      await().atMost(10, TimeUnit.SECONDS).until(() -> runtime.listenerAddress("https") != null);
      InetSocketAddress proxy = runtime.listenerAddress("https");
      try (Client old = new Client(proxy)) {
        assertThat(old.peer()).isEqualTo("CN=first");
        assertThat(old.get()).isEqualTo("200 a");

        client.putLocalSecret(certificate(ca, "second"));
        await().atMost(10, TimeUnit.SECONDS).untilAsserted(() -> {
          try (Client fresh = new Client(proxy)) {
            assertThat(fresh.peer()).isEqualTo("CN=second");
            assertThat(fresh.get()).isEqualTo("200 a");
          }
        });
        assertThat(old.get()).isEqualTo("200 a");
        assertThat(old.peer()).isEqualTo("CN=first");
      }
    }
  }
}
