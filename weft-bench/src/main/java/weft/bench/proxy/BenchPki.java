package weft.bench.proxy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The benchmark's mesh identities, made at run time: a CA and EC P-256 workload certificates whose
 * only SAN is a SPIFFE URI ({@code spiffe://cluster.local/ns/bench/sa/NAME}), as Istio issues them.
 */
final class BenchPki {
  record Leaf(Path cert, Path key, X509Certificate x509, PrivateKey privateKey, String spiffeId) {}

  private final Path dir;
  private final KeyPair caKeys;
  private final X509Certificate ca;
  private final Path caPem;

  private BenchPki(Path dir, KeyPair caKeys, X509Certificate ca, Path caPem) {
    this.dir = dir;
    this.caKeys = caKeys;
    this.ca = ca;
    this.caPem = caPem;
  }

  static BenchPki create(Path dir) throws IOException {
    try {
      KeyPair keys = ecKeys();
      X500Name name = new X500Name("O=weft,CN=weft bench ca");
      X509v3CertificateBuilder b = builder(name, name, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509Certificate cert = sign(b, keys.getPrivate());
      Path pem = dir.resolve("ca.crt.pem");
      Files.writeString(pem, pem("CERTIFICATE", cert.getEncoded()));
      return new BenchPki(dir, keys, cert, pem);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot create the benchmark CA: " + e, e);
    }
  }

  static String spiffe(String serviceAccount) {
    return "spiffe://cluster.local/ns/bench/sa/" + serviceAccount;
  }

  Path caPem() {
    return caPem;
  }

  X509Certificate ca() {
    return ca;
  }

  Leaf issue(String serviceAccount) throws IOException {
    try {
      KeyPair keys = ecKeys();
      X509v3CertificateBuilder b =
          builder(new X500Name("O=weft,CN=weft bench ca"), new X500Name("O=weft"), keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      String id = spiffe(serviceAccount);
      // Istio marks the SAN critical because the subject is empty (RFC 5280 4.2.1.6)
      b.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, id)));
      X509Certificate cert = sign(b, caKeys.getPrivate());
      Path certPem = dir.resolve(serviceAccount + ".crt.pem");
      Path keyPem = dir.resolve(serviceAccount + ".key.pem");
      Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Leaf(certPem, keyPem, cert, keys.getPrivate(), id);
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("cannot issue a certificate for " + serviceAccount + ": " + e, e);
    }
  }

  private static KeyPair ecKeys() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(now.toEpochMilli()).add(BigInteger.valueOf(System.nanoTime() & 0xffff)),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
  }

  private static String pem(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }
}
