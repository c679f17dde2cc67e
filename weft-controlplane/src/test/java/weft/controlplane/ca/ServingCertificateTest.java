package weft.controlplane.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The control plane's own certificate on the xDS port (Istio: istiod's serving certificate). */
class ServingCertificateTest {
  final CertificateAuthority ca = CertificateAuthority.generate(Clock.systemUTC());

  @Test
  void carriesTheControlPlanesSpiffeIdAndTheDialledAddressesAndChainsToTheRoot() throws Exception {
    try (ServingCertificate s = ServingCertificate.start(ca, "example.org",
        List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3")), List.of("localhost"),
        Duration.ofHours(24), Clock.systemUTC())) {
      X509Certificate leaf = s.current().leaf();
      assertThat(s.spiffeId()).isEqualTo("spiffe://example.org/ns/weft-system/sa/weft-controlplane");
      assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
          List.of(6, s.spiffeId()), List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "10.1.2.3"));
      // serverAuth for the xDS port (and clientAuth, as every SVID)
      assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");
      leaf.verify(ca.certificate().getPublicKey());
      assertThat(s.current().chain()).last().isEqualTo(ca.certificate());
      assertThat(s.keyManager().getPrivateKey(s.keyManager().chooseEngineServerAlias("EC", null, null)))
          .isEqualTo(s.current().key());
    }
  }

  @Test
  void aRenewalServesANewKeyWhileAHandshakeMidSwapStillFindsTheOldOne() throws Exception {
    try (ServingCertificate s = ServingCertificate.start(ca, "cluster.local", List.of(), List.of(),
        Duration.ofHours(24), Clock.systemUTC())) {
      String before = s.keyManager().chooseEngineServerAlias("EC", null, null);
      X509Certificate oldLeaf = s.keyManager().getCertificateChain(before)[0];
      s.renew();
      String after = s.keyManager().chooseEngineServerAlias("EC", null, null);
      assertThat(after).isNotEqualTo(before);
      assertThat(s.keyManager().getCertificateChain(after)[0]).isNotEqualTo(oldLeaf)
          .isEqualTo(s.current().leaf());
      // a handshake that chose its alias just before the swap gets a matching key and chain
      assertThat(s.keyManager().getCertificateChain(before)[0]).isEqualTo(oldLeaf);
      assertThat(s.keyManager().getPrivateKey(before)).isNotEqualTo(s.current().key());
    }
  }

  @Test
  void clientsAreVerifiedAgainstTheMeshBundleOnly() throws Exception {
    CertificateAuthority other = CertificateAuthority.generate(Clock.systemUTC());
    try (ServingCertificate s = ServingCertificate.start(ca, "cluster.local", List.of(), List.of(),
        Duration.ofHours(24), Clock.systemUTC());
        ServingCertificate stranger = ServingCertificate.start(other, "cluster.local", List.of(), List.of(),
            Duration.ofHours(24), Clock.systemUTC())) {
      s.clientTrust().checkClientTrusted(s.current().chain().toArray(new X509Certificate[0]), "EC");
      assertThatThrownBy(() -> s.clientTrust().checkClientTrusted(
          stranger.current().chain().toArray(new X509Certificate[0]), "EC"))
          .isInstanceOf(CertificateException.class);
    }
  }
}
