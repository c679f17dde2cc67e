package weft.bench.controlplane;

import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import weft.controlplane.ca.CertificateAuthority;
import weft.proxy.xds.WorkloadIdentity;
import weft.proxy.xds.XdsTls;

/**
 * Workload certificates for the simulated sidecars, from the control plane's CA in this process:
 * what each proxy would get with its bootstrap token (a P-256 key, a CSR, the CA's signature), minus
 * the HTTP round trip. Each becomes the {@link XdsTls} of that sidecar's own ADS connection.
 */
final class SidecarCertificates {
  private SidecarCertificates() {}

  static List<XdsTls> issue(CertificateAuthority ca, List<String> spiffeIds) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      CertificateFactory x509 = CertificateFactory.getInstance("X.509");
      List<XdsTls> out = new ArrayList<>(spiffeIds.size());
      for (String id : spiffeIds) {
        KeyPair key = g.generateKeyPair();
        String chainPem = ca.sign(csr(key), id, Duration.ofHours(24));
        List<X509Certificate> chain = new ArrayList<>();
        x509.generateCertificates(new ByteArrayInputStream(chainPem.getBytes(StandardCharsets.US_ASCII)))
            .forEach(c -> chain.add((X509Certificate) c));
        X509Certificate leaf = chain.getFirst();
        XdsTls tls = new XdsTls();
        tls.update(new WorkloadIdentity.Issued(Secret.getDefaultInstance(), leaf.getNotBefore().toInstant(),
            leaf.getNotAfter().toInstant(), key.getPrivate(), chain));
        out.add(tls);
      }
      return out;
    } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
      throw new IllegalStateException("issuing the simulated sidecars' certificates failed", e);
    }
  }

  private static String csr(KeyPair key) throws OperatorCreationException, IOException {
    var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=weft"), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(req);
    }
    return w.toString();
  }
}
