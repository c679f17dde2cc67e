package weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SVIDs work where they are used: a JDK TLS 1.3 mutual handshake between two workloads, each
 * trusting only weft's root, over a real loopback socket; the peer's SPIFFE ID is its only URI SAN.
 */
@Timeout(30)
class SvidMutualTlsTest {
  @TempDir Path dataDir;

  @Test
  void twoWorkloadsCompleteMutualTlsAndSeeEachOthersSpiffeId() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    SSLContext server = context(ca, "spiffe://cluster.local/ns/jobs/sa/jobs", ca.certificate());
    SSLContext client = context(ca, "spiffe://cluster.local/ns/tweet/sa/tweet", ca.certificate());

    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<X509Certificate> clientSeenByServer = CompletableFuture.supplyAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.startHandshake();
          InputStream in = s.getInputStream();
          OutputStream out = s.getOutputStream();
          out.write(in.read());
          out.flush();
          return (X509Certificate) s.getSession().getPeerCertificates()[0];
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      try (SSLSocket s = (SSLSocket) client.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        s.getOutputStream().write(42);
        s.getOutputStream().flush();
        assertThat(s.getInputStream().read()).isEqualTo(42);
        X509Certificate serverCert = (X509Certificate) s.getSession().getPeerCertificates()[0];
        assertThat(serverCert.getSubjectAlternativeNames())
            .containsExactly(List.of(6, "spiffe://cluster.local/ns/jobs/sa/jobs"));
      }
      assertThat(clientSeenByServer.get().getSubjectAlternativeNames())
          .containsExactly(List.of(6, "spiffe://cluster.local/ns/tweet/sa/tweet"));
    }
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() throws Exception {
    CertificateAuthority ours = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    CertificateAuthority theirs = CertificateAuthority.loadOrCreate(dataDir.resolve("other"),
        Clock.systemUTC());
    SSLContext server = context(ours, "spiffe://cluster.local/ns/jobs/sa/jobs", ours.certificate());
    SSLContext intruder = context(theirs, "spiffe://cluster.local/ns/tweet/sa/tweet",
        ours.certificate());

    try (SSLServerSocket listener = (SSLServerSocket) server.getServerSocketFactory()
        .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      listener.setNeedClientAuth(true);
      CompletableFuture<Void> accepted = CompletableFuture.runAsync(() -> {
        try (SSLSocket s = (SSLSocket) listener.accept()) {
          s.startHandshake();
        } catch (Exception expected) {
          // the server refuses the intruder's certificate
        }
      });
      try (SSLSocket s = (SSLSocket) intruder.getSocketFactory()
          .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
        assertThatThrownBy(() -> {
          s.startHandshake();
          s.getOutputStream().write(1);
          s.getOutputStream().flush();
          s.getInputStream().read(); // TLS 1.3: the client learns of the refusal on first read
        }).isInstanceOfAny(SSLHandshakeException.class, javax.net.ssl.SSLException.class,
            java.net.SocketException.class);
      }
      accepted.get();
    }
  }

  private static SSLContext context(CertificateAuthority ca, String spiffeId, X509Certificate root)
      throws Exception {
    KeyPair key = TestPki.ec("secp256r1");
    List<X509Certificate> chain = TestPki.parseChain(
        ca.sign(TestPki.pem(TestPki.csr(key)), spiffeId, Duration.ofHours(1)));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("svid", key.getPrivate(), new char[0], chain.toArray(new Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    KeyStore ts = KeyStore.getInstance("PKCS12");
    ts.load(null, null);
    ts.setCertificateEntry("root", root);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(ts);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }
}
