package weft.controlplane.ca;

import java.io.IOException;
import java.io.StringReader;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCSException;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * Turns a CSR into an X.509-SVID (SPIFFE X509-SVID spec §4, §5):
 *
 * <ul>
 *   <li>the CSR's signature must verify (proof that the requester holds the key);
 *   <li>its key must be ECDSA P-256, or RSA of at least 2048 bits;
 *   <li>everything else in the CSR (subject, requested SANs and extensions) is ignored: the leaf has
 *       an empty subject and exactly one SAN, the URI of the SPIFFE ID (critical, as RFC 5280
 *       4.2.1.6 requires with an empty subject);
 *   <li>basicConstraints CA:false, keyUsage digitalSignature + keyEncipherment (critical), extended
 *       key usage serverAuth + clientAuth, subject and authority key identifiers;
 *   <li>notBefore a few minutes in the past; notAfter = now + ttl, never past the CA's own.
 * </ul>
 */
final class LeafIssuer {
  static final Duration MAX_TTL = Duration.ofDays(90);

  private LeafIssuer() {}

  static X509Certificate issue(String csrPem, String spiffeId, Duration ttl,
      X509Certificate caCert, PrivateKey caKey, Instant now) {
    SpiffeId id;
    try {
      id = SpiffeId.parse(spiffeId);
    } catch (IllegalArgumentException e) {
      throw new IssuanceException(IssuanceException.Reason.INVALID_REQUEST, e.getMessage(), e);
    }
    JcaPKCS10CertificationRequest csr = parse(csrPem);
    PublicKey key = verifiedKey(csr);
    return issue(key, id, List.of(), ttl, caCert, caKey, now);
  }

  /**
   * A leaf for a key this process made itself (the control plane's serving certificate): no CSR,
   * and besides the SPIFFE ID the DNS and IP SANs of the addresses clients dial ({@code
   * extraSans}, Bouncy Castle {@link GeneralName}s).
   */
  static X509Certificate issue(PublicKey key, SpiffeId id, List<GeneralName> extraSans,
      Duration ttl, X509Certificate caCert, PrivateKey caKey, Instant now) {
    if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new IssuanceException(IssuanceException.Reason.INVALID_REQUEST,
          "certificate lifetime " + ttl + " (expected: > 0 and <= " + MAX_TTL + ")");
    }
    Instant notAfter = now.plus(ttl);
    Instant caNotAfter = caCert.getNotAfter().toInstant();
    if (notAfter.isAfter(caNotAfter)) {
      notAfter = caNotAfter;
    }
    try {
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          new JcaX509CertificateHolder(caCert).getSubject(),
          CertificateAuthority.serial(),
          Date.from(now.minus(CertificateAuthority.BACKDATE)),
          Date.from(notAfter),
          new X500Name(new RDN[0]),
          key);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      List<GeneralName> sans = new ArrayList<>();
      sans.add(new GeneralName(GeneralName.uniformResourceIdentifier, id.toString()));
      sans.addAll(extraSans);
      b.addExtension(Extension.subjectAlternativeName, true,
          new GeneralNames(sans.toArray(new GeneralName[0])));
      b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          ext.createAuthorityKeyIdentifier(caCert));
      return new JcaX509CertificateConverter()
          .getCertificate(b.build(CertificateAuthority.signer(caKey)));
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("signing a leaf for " + id + " failed", e);
    }
  }

  private static JcaPKCS10CertificationRequest parse(String csrPem) {
    try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
      Object o = p.readObject();
      if (o instanceof org.bouncycastle.pkcs.PKCS10CertificationRequest req) {
        return new JcaPKCS10CertificationRequest(req);
      }
      throw new IssuanceException(IssuanceException.Reason.INVALID_CSR,
          "csr: " + (o == null ? "no PEM object" : o.getClass().getSimpleName())
              + " (expected: CERTIFICATE REQUEST)");
    } catch (IOException | RuntimeException e) {
      if (e instanceof IssuanceException ie) {
        throw ie;
      }
      throw new IssuanceException(
          IssuanceException.Reason.INVALID_CSR, "csr: not a PEM PKCS#10 request", e);
    }
  }

  private static PublicKey verifiedKey(JcaPKCS10CertificationRequest csr) {
    SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
    AlgorithmIdentifier alg = spki.getAlgorithm();
    ASN1ObjectIdentifier type = alg.getAlgorithm();
    PublicKey key;
    try {
      key = csr.getPublicKey();
    } catch (GeneralSecurityException e) {
      throw new IssuanceException(
          IssuanceException.Reason.INVALID_CSR, "csr: unreadable public key", e);
    }
    if (type.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      if (!SECObjectIdentifiers.secp256r1.equals(alg.getParameters())) {
        throw new IssuanceException(IssuanceException.Reason.INVALID_CSR,
            "csr: ec key on curve " + alg.getParameters() + " (expected: P-256)");
      }
    } else if (key instanceof RSAPublicKey rsa) {
      if (rsa.getModulus().bitLength() < 2048) {
        throw new IssuanceException(IssuanceException.Reason.INVALID_CSR,
            "csr: rsa key of " + rsa.getModulus().bitLength() + " bits (expected: >= 2048)");
      }
    } else {
      throw new IssuanceException(IssuanceException.Reason.INVALID_CSR,
          "csr: key type " + type + " (expected: ECDSA P-256 or RSA >= 2048)");
    }
    boolean valid;
    try {
      valid = csr.isSignatureValid(new JcaContentVerifierProviderBuilder().build(key));
    } catch (OperatorCreationException | PKCSException e) {
      throw new IssuanceException(
          IssuanceException.Reason.INVALID_CSR, "csr: signature not verifiable", e);
    }
    if (!valid) {
      throw new IssuanceException(IssuanceException.Reason.INVALID_CSR,
          "csr: signature does not verify with its own public key");
    }
    return key;
  }
}
