package weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.CertificationRequest;
import org.bouncycastle.asn1.pkcs.CertificationRequestInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateAuthorityTest {
  private static final String ID = "spiffe://cluster.local/ns/jobs/sa/jobs-api";
  private static final Instant NOW = Instant.parse("2026-11-21T10:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

  @TempDir Path dataDir;

  @Test
  void generatedRootIsAnEcdsaP256CaValidForTenYears() throws Exception {
    X509Certificate root = CertificateAuthority.loadOrCreate(dataDir, clock).certificate();
    assertThat(root.getSubjectX500Principal().getName()).contains("CN=weft root CA");
    assertThat(root.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
    assertThat(root.getPublicKey().getAlgorithm()).isEqualTo("EC");
    assertThat(root.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(3650)));
    root.verify(root.getPublicKey());
    assertThat(Files.getPosixFilePermissions(dataDir.resolve("ca/root-key.pem")))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
  }

  @Test
  void leafHasExactlyTheSpiffeIdAsSanEvenWhenTheCsrAsksForOthers() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, clock);
    KeyPair key = TestPki.ec("secp256r1");
    String chain = ca.sign(TestPki.pem(TestPki.csr(key)), ID, CertificateAuthority.DEFAULT_TTL);

    X509Certificate leaf = TestPki.parseChain(chain).getFirst();
    assertThat(leaf.getSubjectAlternativeNames()).containsExactly(List.of(6, ID));
    assertThat(leaf.getCriticalExtensionOIDs()).contains("2.5.29.17");
    assertThat(leaf.getSubjectX500Principal().getName()).isEmpty();
    assertThat(leaf.getPublicKey()).isEqualTo(key.getPublic());
    assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
    boolean[] usage = leaf.getKeyUsage();
    assertThat(usage[0] && usage[2]).as("digitalSignature, keyEncipherment").isTrue();
    assertThat(usage[5]).as("keyCertSign").isFalse();
    assertThat(leaf.getExtendedKeyUsage())
        .containsExactlyInAnyOrder("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
    assertThat(leaf.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofHours(24)));
    assertThat(leaf.getNotBefore().toInstant()).isBefore(NOW);
  }

  @Test
  void chainVerifiesAgainstTheRoot() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    String chain = ca.sign(TestPki.pem(TestPki.csr(TestPki.rsa(2048))), ID, Duration.ofHours(1));
    X509Certificate root = TestPki.parseChain(ca.trustBundlePem()).getFirst();
    TestPki.validate(TestPki.parseChain(chain), root);
  }

  @Test
  void persistedRootIsReloadedOnRestart() throws Exception {
    CertificateAuthority first = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    CertificateAuthority second = CertificateAuthority.loadOrCreate(dataDir, Clock.systemUTC());
    assertThat(second.certificate()).isEqualTo(first.certificate());
    String chain = second.sign(TestPki.pem(TestPki.csr(TestPki.ec("secp256r1"))), ID,
        Duration.ofHours(1));
    TestPki.validate(TestPki.parseChain(chain), first.certificate());
  }

  @Test
  void halfACaOnDiskIsAnErrorNotReplaced() throws Exception {
    CertificateAuthority.loadOrCreate(dataDir, clock);
    Files.delete(dataDir.resolve("ca/root-key.pem"));
    assertThatThrownBy(() -> CertificateAuthority.loadOrCreate(dataDir, clock))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("without");
  }

  @Test
  void pemLoadedCorporateIntermediateSignsAndTheChainReachesTheCorporateRoot() throws Exception {
    TestPki.Issued corpRoot = TestPki.ca("CN=Corp Root", null);
    TestPki.Issued intermediate = TestPki.ca("CN=Corp Mesh Intermediate", corpRoot);
    Path cert = Files.writeString(dataDir.resolve("ca.pem"), TestPki.pem(intermediate.cert()));
    Path key = Files.writeString(dataDir.resolve("ca-key.pem"),
        TestPki.pem(intermediate.key().getPrivate()));
    Path chainFile = Files.writeString(dataDir.resolve("chain.pem"), TestPki.pem(corpRoot.cert()));

    CertificateAuthority ca = CertificateAuthority.fromPem(cert, key, Optional.of(chainFile),
        Clock.systemUTC());
    List<X509Certificate> chain = TestPki.parseChain(
        ca.sign(TestPki.pem(TestPki.csr(TestPki.ec("secp256r1"))), ID, Duration.ofHours(1)));

    assertThat(chain).hasSize(3);
    assertThat(chain.get(0).getIssuerX500Principal())
        .isEqualTo(intermediate.cert().getSubjectX500Principal());
    TestPki.validate(chain, corpRoot.cert());
    assertThat(TestPki.parseChain(ca.trustBundlePem())).containsExactly(corpRoot.cert());
  }

  @Test
  void openUsesPemFilesWhenGivenAndTheDataDirOtherwise() throws Exception {
    TestPki.Issued corp = TestPki.ca("CN=Corp", null);
    Path cert = Files.writeString(dataDir.resolve("ca.pem"), TestPki.pem(corp.cert()));
    Path key = Files.writeString(dataDir.resolve("k.pem"), TestPki.pem(corp.key().getPrivate()));
    assertThat(CertificateAuthority.open(dataDir, Optional.of(cert), Optional.of(key),
        Optional.empty(), clock).certificate()).isEqualTo(corp.cert());
    assertThat(Files.exists(dataDir.resolve("ca"))).as("no root generated").isFalse();

    X509Certificate generated = CertificateAuthority.open(dataDir, Optional.empty(),
        Optional.empty(), Optional.empty(), clock).certificate();
    assertThat(generated.getSubjectX500Principal().getName()).contains("weft root CA");
    assertThatThrownBy(() -> CertificateAuthority.open(dataDir, Optional.of(cert),
        Optional.empty(), Optional.empty(), clock)).hasMessageContaining("go together");
  }

  @Test
  void aKeyThatDoesNotMatchTheCertificateIsRefused() throws Exception {
    TestPki.Issued ca = TestPki.ca("CN=Corp", null);
    Path cert = Files.writeString(dataDir.resolve("ca.pem"), TestPki.pem(ca.cert()));
    Path otherKey = Files.writeString(dataDir.resolve("k.pem"),
        TestPki.pem(TestPki.ec("secp256r1").getPrivate()));
    assertThatThrownBy(() -> CertificateAuthority.fromPem(cert, otherKey, Optional.empty(), clock))
        .hasMessageContaining("does not match");
  }

  @Test
  void aTamperedCsrIsRefused() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, clock);
    PKCS10CertificationRequest honest = TestPki.csr(TestPki.ec("secp256r1"));
    CertificationRequest asn1 = honest.toASN1Structure();
    CertificationRequestInfo info = asn1.getCertificationRequestInfo();
    // same key and signature, different subject: the signature no longer covers the content
    CertificationRequestInfo forged = new CertificationRequestInfo(
        new X500Name("CN=someone else"), info.getSubjectPublicKeyInfo(), info.getAttributes());
    PKCS10CertificationRequest tampered = new PKCS10CertificationRequest(new CertificationRequest(
        forged, asn1.getSignatureAlgorithm(), asn1.getSignature()));

    assertThatThrownBy(() -> ca.sign(TestPki.pem(tampered), ID, Duration.ofHours(1)))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.INVALID_CSR))
        .hasMessageContaining("signature does not verify");
  }

  @ParameterizedTest
  @ValueSource(strings = {"secp384r1", "rsa1024"})
  void keysOtherThanP256OrRsa2048AreRefused(String kind) throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, clock);
    KeyPair key = kind.equals("rsa1024") ? TestPki.rsa(1024) : TestPki.ec(kind);
    assertThatThrownBy(() -> ca.sign(TestPki.pem(TestPki.csr(key)), ID, Duration.ofHours(1)))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.INVALID_CSR));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://cluster.local/ns/a/sa/b", "spiffe://Cluster.local/ns/a",
      "spiffe://cluster.local", "spiffe://cluster.local/ns/../sa/b", "spiffe://td/ns//sa"})
  void invalidSpiffeIdsAreRefused(String id) throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, clock);
    String csr = TestPki.pem(TestPki.csr(TestPki.ec("secp256r1")));
    assertThatThrownBy(() -> ca.sign(csr, id, Duration.ofHours(1)))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.INVALID_REQUEST));
  }

  @Test
  void garbageIsNotACsr() throws Exception {
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(dataDir, clock);
    assertThatThrownBy(() -> ca.sign("hello", ID, Duration.ofHours(1)))
        .isInstanceOfSatisfying(IssuanceException.class,
            e -> assertThat(e.reason()).isEqualTo(IssuanceException.Reason.INVALID_CSR));
  }
}
