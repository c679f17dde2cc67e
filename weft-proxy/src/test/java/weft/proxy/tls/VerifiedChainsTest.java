package weft.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PKIX result cache behind mTLS handshakes: a chain that passed is not re-validated until its
 * earliest notAfter; any other chain, direction or key exchange type, and any chain that failed,
 * is validated in full every time.
 */
class VerifiedChainsTest {
  @TempDir
  Path dir;

  @Test
  void aChainThatPassedIsNotValidatedAgainUntilItExpires() throws Exception {
    TestPki pki = TestPki.create(dir);
    X509Certificate[] chain = {pki.issue("a", TestPki.KeyType.EC_P256, "uri:spiffe://td/ns/a/sa/a").cert()};
    AtomicLong now = new AtomicLong(System.currentTimeMillis());
    VerifiedChains cache = new VerifiedChains(16, now::get);
    AtomicInteger pkixRuns = new AtomicInteger();

    cache.check(chain, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    cache.check(chain, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    assertThat(pkixRuns).hasValue(1);

    now.set(chain[0].getNotAfter().getTime());
    cache.check(chain, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    assertThat(pkixRuns).as("expired: validated again").hasValue(2);
  }

  @Test
  void anotherChainDirectionOrKeyExchangeIsValidatedInFull() throws Exception {
    TestPki pki = TestPki.create(dir);
    X509Certificate[] a = {pki.issue("a", TestPki.KeyType.EC_P256, "uri:spiffe://td/ns/a/sa/a").cert()};
    X509Certificate[] b = {pki.issue("b", TestPki.KeyType.EC_P256, "uri:spiffe://td/ns/a/sa/b").cert()};
    VerifiedChains cache = new VerifiedChains(16);
    AtomicInteger pkixRuns = new AtomicInteger();

    cache.check(a, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    cache.check(b, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    cache.check(a, "ECDHE_ECDSA", false, pkixRuns::incrementAndGet);
    cache.check(a, "ECDHE_RSA", true, pkixRuns::incrementAndGet);
    cache.check(new X509Certificate[] {a[0], pki.caCert()}, "ECDHE_ECDSA", true, pkixRuns::incrementAndGet);
    assertThat(pkixRuns).hasValue(5);
  }

  @Test
  void aFailedChainIsNeverRemembered() throws Exception {
    TestPki pki = TestPki.create(dir);
    X509Certificate[] chain = {pki.issue("a", TestPki.KeyType.EC_P256, "uri:spiffe://td/ns/a/sa/a").cert()};
    VerifiedChains cache = new VerifiedChains(16);
    AtomicInteger pkixRuns = new AtomicInteger();
    VerifiedChains.Check failing = () -> {
      pkixRuns.incrementAndGet();
      throw new CertificateException("untrusted");
    };

    assertThatThrownBy(() -> cache.check(chain, "ECDHE_ECDSA", true, failing)).hasMessage("untrusted");
    assertThatThrownBy(() -> cache.check(chain, "ECDHE_ECDSA", true, failing)).hasMessage("untrusted");
    assertThat(pkixRuns).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void staysWithinItsCapacity() throws Exception {
    TestPki pki = TestPki.create(dir);
    VerifiedChains cache = new VerifiedChains(2);
    for (int i = 0; i < 5; i++) {
      X509Certificate[] c = {pki.issue("n" + i, TestPki.KeyType.EC_P256, "uri:spiffe://td/ns/a/sa/n" + i).cert()};
      cache.check(c, "ECDHE_ECDSA", true, () -> {});
      assertThat(cache.size()).isLessThanOrEqualTo(2);
    }
  }
}
