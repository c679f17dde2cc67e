package weft.controlplane.ca;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/** Keys, CSRs and a small corporate PKI for CA tests. */
final class TestPki {
  private TestPki() {}

  static KeyPair ec(String curve) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec(curve));
    return g.generateKeyPair();
  }

  static KeyPair rsa(int bits) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  /** A CSR that also asks for SANs the CA must not grant. */
  static PKCS10CertificationRequest csr(KeyPair key) throws Exception {
    ExtensionsGenerator ext = new ExtensionsGenerator();
    ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
        new GeneralName(GeneralName.dNSName, "evil.example.com"),
        new GeneralName(GeneralName.uniformResourceIdentifier, "spiffe://cluster.local/ns/kube-system/sa/admin")}));
    String alg = key.getPublic().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
    return new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=admin,O=system:masters"),
        key.getPublic())
        .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
        .build(new JcaContentSignerBuilder(alg).build(key.getPrivate()));
  }

  static String pem(Object... objects) throws IOException {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      for (Object o : objects) {
        w.writeObject(o instanceof java.security.PrivateKey k
            ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
      }
    }
    return out.toString();
  }

  static List<X509Certificate> parseChain(String pem) throws Exception {
    CertificateFactory cf = CertificateFactory.getInstance("X.509");
    return cf.generateCertificates(new java.io.ByteArrayInputStream(pem.getBytes()))
        .stream().map(c -> (X509Certificate) c).toList();
  }

  /** PKIX validation of {@code chain} (leaf first, trust anchor excluded or included) to {@code root}. */
  static void validate(List<X509Certificate> chain, X509Certificate root) throws Exception {
    List<X509Certificate> path = chain.stream()
        .filter(c -> !c.equals(root)).toList();
    PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
    params.setRevocationEnabled(false);
    CertPathValidator.getInstance("PKIX")
        .validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
  }

  record Issued(X509Certificate cert, KeyPair key) {}

  /** A CA certificate for {@code subject}, self-signed when {@code issuer} is null. */
  static Issued ca(String subject, Issued issuer) throws Exception {
    KeyPair key = ec("secp256r1");
    Instant now = Instant.now();
    X500Name name = new X500Name(subject);
    X500Name issuerName = issuer == null ? name
        : new X500Name(issuer.cert().getSubjectX500Principal().getName());
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
        BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(1, ChronoUnit.HOURS)),
        Date.from(now.plus(365, ChronoUnit.DAYS)), name, key.getPublic());
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509Certificate cert = new JcaX509CertificateConverter().getCertificate(b.build(
        new JcaContentSignerBuilder("SHA256withECDSA")
            .build(issuer == null ? key.getPrivate() : issuer.key().getPrivate())));
    return new Issued(cert, key);
  }
}
