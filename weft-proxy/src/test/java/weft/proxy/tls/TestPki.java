package weft.proxy.tls;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throw-away PKI for tests: one CA (EC P-256) and leaf certificates signed by it, written as PEM
 * files into a directory (use JUnit's {@code @TempDir}). Leaves carry the SANs you give them,
 * written with a type prefix: {@code dns:backend.example.com}, {@code uri:spiffe://cluster.local/ns/default/sa/tweet},
 * {@code ip:127.0.0.1}, {@code email:ops@example.com}; they are valid for both server and client
 * authentication. Keys are written as PKCS#8 ({@code PRIVATE KEY}).
 *
 * <pre>{@code
 * TestPki pki = TestPki.create(tempDir);
 * TestPki.Issued server = pki.issue("server", TestPki.KeyType.EC_P256, "dns:backend.example.com");
 * TestPki.Issued client = pki.issue("tweet", TestPki.KeyType.RSA_2048, "uri:" + TestPki.spiffe("default", "tweet"));
 * // server.certPem(), server.keyPem(), pki.caPem() are files; server.cert(), server.key() objects
 * }</pre>
 */
public final class TestPki {
  public enum KeyType { EC_P256, RSA_2048 }

  /** A leaf: its PEM files and the objects they hold. */
  public record Issued(Path certPem, Path keyPem, X509Certificate cert, PrivateKey key) {}

  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String caName;
  private final KeyPair caKeys;
  private final X509Certificate caCert;
  private final Path caPem;

  private TestPki(Path dir, String caName, KeyPair caKeys, X509Certificate caCert, Path caPem) {
    this.dir = dir;
    this.caName = caName;
    this.caKeys = caKeys;
    this.caCert = caCert;
    this.caPem = caPem;
  }

  /** A CA named "ca" whose certificate is written to {@code dir/ca.crt.pem}. */
  public static TestPki create(Path dir) {
    return create(dir, "ca");
  }

  /** A CA with its own name (use a second one for "untrusted" peers) in {@code dir/<caName>.crt.pem}. */
  public static TestPki create(Path dir, String caName) {
    try {
      KeyPair keys = keyPair(KeyType.EC_P256);
      X500Name name = new X500Name("O=weft,CN=weft test " + caName);
      X509v3CertificateBuilder b = builder(name, name, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()));
      X509Certificate cert = sign(b, keys.getPrivate());
      Path pem = dir.resolve(caName + ".crt.pem");
      Files.writeString(pem, pem("CERTIFICATE", cert.getEncoded()));
      return new TestPki(dir, caName, keys, cert, pem);
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code spiffe://cluster.local/ns/<ns>/sa/<sa>}, the Istio/weft workload identity form. */
  public static String spiffe(String namespace, String serviceAccount) {
    return "spiffe://cluster.local/ns/" + namespace + "/sa/" + serviceAccount;
  }

  public Path caPem() {
    return caPem;
  }

  public X509Certificate caCert() {
    return caCert;
  }

  /** A leaf signed by this CA, written to {@code <name>.crt.pem} and {@code <name>.key.pem}. */
  public Issued issue(String name, KeyType type, String... sans) {
    try {
      KeyPair keys = keyPair(type);
      X509v3CertificateBuilder b = builder(
          new X500Name("O=weft,CN=weft test " + caName), new X500Name("O=weft,CN=" + name), keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      if (sans.length > 0) {
        List<GeneralName> names = new ArrayList<>();
        for (String san : sans) {
          names.add(generalName(san));
        }
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new)));
      }
      X509Certificate cert = sign(b, caKeys.getPrivate());
      Path certPem = dir.resolve(name + ".crt.pem");
      Path keyPem = dir.resolve(name + ".key.pem");
      Files.writeString(certPem, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyPem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Issued(certPem, keyPem, cert, keys.getPrivate());
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** PEM text of DER bytes under a label, 64 columns, as openssl writes it. */
  public static String pem(String label, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + label + "-----\n" + b64 + "\n-----END " + label + "-----\n";
  }

  private static GeneralName generalName(String san) {
    int colon = san.indexOf(':');
    String kind = san.substring(0, colon);
    String value = san.substring(colon + 1);
    return switch (kind) {
      case "dns" -> new GeneralName(GeneralName.dNSName, value);
      case "uri" -> new GeneralName(GeneralName.uniformResourceIdentifier, value);
      case "ip" -> new GeneralName(GeneralName.iPAddress, value);
      case "email" -> new GeneralName(GeneralName.rfc822Name, value);
      default -> throw new IllegalArgumentException("san " + san + " (expected: dns:, uri:, ip: or email: prefix)");
    };
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(30))),
        subject, keys.getPublic());
  }

  private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
      throws OperatorCreationException, GeneralSecurityException {
    return new JcaX509CertificateConverter().getCertificate(
        b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
  }

  private static KeyPair keyPair(KeyType type) throws GeneralSecurityException {
    return switch (type) {
      case EC_P256 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        yield g.generateKeyPair();
      }
      case RSA_2048 -> {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        yield g.generateKeyPair();
      }
    };
  }
}
