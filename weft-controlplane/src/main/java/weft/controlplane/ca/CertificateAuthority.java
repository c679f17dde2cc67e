package weft.controlplane.ca;

import java.io.IOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * weft's certificate authority: issues X.509-SVIDs (one URI SAN, the SPIFFE ID) for workloads.
 *
 * <p>The signing key is either generated at first start (ECDSA P-256, self-signed root valid 10
 * years, CN {@code weft root CA}) and kept in {@code <data-dir>/ca/root-cert.pem} and {@code
 * root-key.pem} (mode 0600), or loaded from a corporate PKI's PEM files. The key never leaves this
 * object: there is no accessor for it, and only certificates come out.
 *
 * <p>Thread-safe: {@link #sign} may be called concurrently.
 */
public final class CertificateAuthority {
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  static final Duration ROOT_LIFETIME = Duration.ofDays(3650);
  /** Tolerates clocks of relying parties slightly behind ours. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(CertificateAuthority.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final X509Certificate caCert;
  private final PrivateKey caKey;
  private final List<X509Certificate> chain; // caCert's issuers, nearest first; may be empty
  private final Clock clock;

  private CertificateAuthority(
      X509Certificate caCert, PrivateKey caKey, List<X509Certificate> chain, Clock clock) {
    this.caCert = caCert;
    this.caKey = caKey;
    this.chain = List.copyOf(chain);
    this.clock = clock;
  }

  /**
   * The CA as {@code weft controlplane} configures it: from {@code --ca-cert}/{@code --ca-key}
   * (and optional chain) when given, else the one kept under the data dir. Giving only one of
   * cert and key is an error.
   */
  public static CertificateAuthority open(Path dataDir, Optional<Path> caCert,
      Optional<Path> caKey, Optional<Path> caChain, Clock clock) throws IOException {
    if (caCert.isPresent() != caKey.isPresent()) {
      throw new IllegalArgumentException(
          "--ca-cert and --ca-key go together (got only " + (caCert.isPresent() ? "--ca-cert" : "--ca-key") + ")");
    }
    if (caCert.isEmpty() && caChain.isPresent()) {
      throw new IllegalArgumentException("--ca-chain needs --ca-cert and --ca-key");
    }
    return caCert.isPresent()
        ? fromPem(caCert.get(), caKey.get(), caChain, clock)
        : loadOrCreate(dataDir, clock);
  }

  /**
   * The CA kept under {@code <dataDir>/ca/}: loaded if there, generated and written otherwise. Half
   * a CA (only the certificate or only the key) is an error, never silently replaced.
   */
  public static CertificateAuthority loadOrCreate(Path dataDir, Clock clock) throws IOException {
    Path dir = dataDir.resolve("ca");
    Path cert = dir.resolve("root-cert.pem");
    Path key = dir.resolve("root-key.pem");
    boolean hasCert = Files.exists(cert);
    boolean hasKey = Files.exists(key);
    if (hasCert && hasKey) {
      log.info("loaded CA from {}", dir);
      return fromPem(cert, key, Optional.empty(), clock);
    }
    if (hasCert || hasKey) {
      throw new IllegalStateException(dir + ": found " + (hasCert ? cert : key) + " without "
          + (hasCert ? key : cert) + "; restore it or remove both to generate a new root CA");
    }
    CertificateAuthority ca = generate(clock);
    SecretFiles.createPrivateDirectory(dir);
    SecretFiles.writePrivate(key, Pem.encode(ca.caKey));
    SecretFiles.writeAtomically(cert, Pem.encode(ca.caCert));
    log.info("generated a new root CA in {}", dir);
    return ca;
  }

  /**
   * A CA from PEM files: the signing certificate, its unencrypted private key, and optionally the
   * certificates above it (intermediates, then the root), for a corporate PKI.
   */
  public static CertificateAuthority fromPem(
      Path certPem, Path keyPem, Optional<Path> chainPem, Clock clock) throws IOException {
    List<X509Certificate> certs = Pem.certificates(Files.readString(certPem), certPem.toString());
    if (certs.size() != 1) {
      throw new IllegalArgumentException(
          certPem + ": " + certs.size() + " certificates (expected: exactly 1, the CA's)");
    }
    X509Certificate cert = certs.getFirst();
    if (cert.getBasicConstraints() < 0) {
      throw new IllegalArgumentException(certPem + ": not a CA certificate (basicConstraints)");
    }
    boolean[] usage = cert.getKeyUsage();
    if (usage != null && !usage[5]) {
      throw new IllegalArgumentException(certPem + ": key usage lacks keyCertSign");
    }
    PrivateKey key = Pem.privateKey(Files.readString(keyPem), keyPem.toString());
    requireMatch(cert.getPublicKey(), key, certPem, keyPem);
    List<X509Certificate> chain = new ArrayList<>();
    if (chainPem.isPresent()) {
      chain.addAll(Pem.certificates(Files.readString(chainPem.get()), chainPem.get().toString()));
    }
    return new CertificateAuthority(cert, key, chain, clock);
  }

  static CertificateAuthority generate(Clock clock) {
    try {
      KeyPair pair = newP256KeyPair();
      Instant now = clock.instant();
      X500Name name = new X500Name("CN=weft root CA,O=weft");
      X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
          name, serial(), Date.from(now.minus(BACKDATE)), Date.from(now.plus(ROOT_LIFETIME)),
          name, pair.getPublic());
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          ext.createSubjectKeyIdentifier(pair.getPublic()));
      X509Certificate cert = new JcaX509CertificateConverter()
          .getCertificate(b.build(signer(pair.getPrivate())));
      return new CertificateAuthority(cert, pair.getPrivate(), List.of(), clock);
    } catch (GeneralSecurityException | CertIOException e) {
      throw new IllegalStateException("generating the root CA failed", e);
    }
  }

  /**
   * Signs a workload's CSR: see {@link LeafIssuer} for what is checked and what the leaf holds.
   *
   * @return the chain in PEM: the leaf, this CA's certificate, then the configured chain
   * @throws IssuanceException if the CSR or the request is refused
   */
  public String sign(String csrPem, String spiffeId, Duration ttl) {
    X509Certificate leaf = LeafIssuer.issue(csrPem, spiffeId, ttl, caCert, caKey, clock.instant());
    List<Object> out = new ArrayList<>();
    out.add(leaf);
    out.add(caCert);
    out.addAll(chain);
    return Pem.encode(out.toArray());
  }

  /**
   * A certificate for the control plane itself, with a key made here (the CA and the control plane
   * are one process, so no CSR travels): the SPIFFE ID plus DNS and IP SANs of the addresses
   * clients dial, for clients that check host names (Envoy with {@code match_subject_alt_names} on
   * DNS, grpc-java's xDS TLS credentials).
   *
   * @return the key and the chain, leaf first, then this CA's certificate and the configured chain
   */
  public ServingMaterial issueServing(String spiffeId, List<InetAddress> ips, List<String> dnsNames,
      Duration ttl) {
    try {
      KeyPair pair = newP256KeyPair();
      List<GeneralName> sans = new ArrayList<>();
      dnsNames.forEach(d -> sans.add(new GeneralName(GeneralName.dNSName, d)));
      ips.forEach(a -> sans.add(new GeneralName(GeneralName.iPAddress, a.getHostAddress())));
      X509Certificate leaf = LeafIssuer.issue(pair.getPublic(), SpiffeId.parse(spiffeId), sans, ttl,
          caCert, caKey, clock.instant());
      List<X509Certificate> out = new ArrayList<>();
      out.add(leaf);
      out.add(caCert);
      out.addAll(chain);
      return new ServingMaterial(pair.getPrivate(), out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("generating the control plane's key failed", e);
    }
  }

  /** A private key with its certificate chain (leaf first). */
  public record ServingMaterial(PrivateKey key, List<X509Certificate> chain) {
    public ServingMaterial {
      chain = List.copyOf(chain);
    }

    public X509Certificate leaf() {
      return chain.getFirst();
    }
  }

  /** The trust bundle as certificates (what {@link #trustBundlePem} encodes). */
  public List<X509Certificate> trustBundle() {
    return List.of(chain.isEmpty() ? caCert : chain.getLast());
  }

  /** The trust bundle in PEM: the top of our chain (the root when we know it). */
  public String trustBundlePem() {
    return Pem.encode(chain.isEmpty() ? caCert : chain.getLast());
  }

  /** The CA's own certificate (the one that signs leaves). */
  public X509Certificate certificate() {
    return caCert;
  }

  static KeyPair newP256KeyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return g.generateKeyPair();
  }

  static BigInteger serial() {
    // positive, at most 20 octets, 159 bits of randomness (RFC 5280 4.1.2.2; CA/B BR 7.1)
    return new BigInteger(159, RANDOM).setBit(0);
  }

  static ContentSigner signer(PrivateKey key) {
    String alg = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException(
          "CA key algorithm " + key.getAlgorithm() + " (expected: EC or RSA)");
    };
    try {
      return new JcaContentSignerBuilder(alg).build(key);
    } catch (OperatorCreationException e) {
      throw new IllegalStateException("no signer for " + alg, e);
    }
  }

  private static void requireMatch(PublicKey pub, PrivateKey key, Path certPem, Path keyPem) {
    String alg = switch (key.getAlgorithm()) {
      case "EC", "ECDSA" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException(
          keyPem + ": key algorithm " + key.getAlgorithm() + " (expected: EC or RSA)");
    };
    try {
      byte[] probe = "weft ca key check".getBytes(StandardCharsets.US_ASCII);
      Signature s = Signature.getInstance(alg);
      s.initSign(key);
      s.update(probe);
      byte[] sig = s.sign();
      Signature v = Signature.getInstance(alg);
      v.initVerify(pub);
      v.update(probe);
      if (!v.verify(sig)) {
        throw new IllegalArgumentException(keyPem + ": does not match the key of " + certPem);
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          keyPem + ": does not match the key of " + certPem + ": " + e.getMessage(), e);
    }
  }
}
