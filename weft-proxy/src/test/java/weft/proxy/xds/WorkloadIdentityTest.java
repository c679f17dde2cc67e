package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The CSR flow against an in-test CA endpoint (docs/controlplane.md, "Secrets (SDS)"). */
@Timeout(30)
class WorkloadIdentityTest {
  private final List<Secret> published = new CopyOnWriteArrayList<>();

  private static X509Certificate leaf(Secret s) throws Exception {
    byte[] pem = s.getTlsCertificate().getCertificateChain().getInlineString()
        .getBytes(StandardCharsets.US_ASCII);
    return (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(pem)).iterator().next();
  }

  @Test
  void aCsrWithTheTokenBecomesTheDefaultSecretWithAKeyThatNeverLeftTheProxy() throws Exception {
    try (TestCa ca = new TestCa("s3cret");
        WorkloadIdentity id = new WorkloadIdentity(ca.address(), "s3cret\n", published::add,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)))) {
      id.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> !published.isEmpty());
      Secret s = published.get(0);
      assertThat(s.getName()).isEqualTo("default");
      assertThat(ca.csrs).singleElement().asString().startsWith("-----BEGIN CERTIFICATE REQUEST-----");
      assertThat(leaf(s).getSubjectAlternativeNames().stream().map(l -> (Object) l.get(1)))
          .containsExactly("spiffe://cluster.local/ns/shop/sa/web");
      assertThat(s.getTlsCertificate().getPrivateKey().getInlineString())
          .startsWith("-----BEGIN PRIVATE KEY-----");
      assertThat(ca.csrs.get(0)).doesNotContain("PRIVATE KEY");
    }
  }

  @Test
  void retriesWithBackoffWhileTheCaRefusesThenSucceeds() throws Exception {
    try (TestCa ca = new TestCa("t");
        WorkloadIdentity id = new WorkloadIdentity(ca.address(), "t", published::add,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)))) {
      ca.refusals.set(3);
      id.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> !published.isEmpty());
      assertThat(ca.refusals.get()).isNegative();
      assertThat(published).hasSize(1);
    }
  }

  @Test
  void rotatesAtHalfLifeWithANewKey() throws Exception {
    try (TestCa ca = new TestCa("t");
        WorkloadIdentity id = new WorkloadIdentity(ca.address(), "t", published::add,
            new Backoff(Duration.ofMillis(20), Duration.ofMillis(100)))) {
      ca.lifetime = Duration.ofSeconds(4);
      id.start();
      await().atMost(10, TimeUnit.SECONDS).until(() -> published.size() >= 2);
      X509Certificate first = leaf(published.get(0));
      X509Certificate second = leaf(published.get(1));
      assertThat(second.getPublicKey()).isNotEqualTo(first.getPublicKey());
      assertThat(second.getNotBefore()).isBefore(first.getNotAfter());
    }
  }
}
