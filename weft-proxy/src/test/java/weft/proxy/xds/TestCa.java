package weft.proxy.xds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;

/**
 * A test CA behind a tiny {@code POST /api/v1/certificates} endpoint: checks the token, signs the
 * CSR's key with a SPIFFE URI SAN for {@code lifetime}, answers the PEM chain (leaf, root). The
 * first {@code refusals} requests get a 503.
 */
final class TestCa implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  final KeyPair rootKey;
  final X509Certificate root;
  final List<String> csrs = new CopyOnWriteArrayList<>();
  final AtomicInteger refusals = new AtomicInteger();
  volatile Duration lifetime = Duration.ofHours(24);
  private final HttpServer server;

  TestCa(String token) throws Exception {
    rootKey = ecKey();
    root = sign(new X500Name("O=weft test root"), rootKey.getPublic(), Duration.ofDays(1), null);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/certificates", ex -> {
      String answer;
      int status;
      try {
        JsonNode body = JSON.readTree(ex.getRequestBody());
        if (refusals.getAndDecrement() > 0) {
          status = 503;
          answer = "{\"error\": \"not yet\"}";
        } else if (!token.equals(body.path("token").asText())) {
          status = 401;
          answer = "{\"error\": \"bad token\"}";
        } else {
          String csr = body.path("csr").asText();
          csrs.add(csr);
          status = 200;
          answer = pem(leafFor(csr)) + pem(root);
        }
      } catch (Exception e) {
        status = 400;
        answer = "{\"error\": \"" + e + "\"}";
      }
      byte[] b = answer.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream o = ex.getResponseBody()) {
        o.write(b);
      }
    });
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  static KeyPair ecKey() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private X509Certificate leafFor(String csrPem) throws Exception {
    try (PEMParser p = new PEMParser(new StringReader(csrPem))) {
      var csr = new JcaPKCS10CertificationRequest((PKCS10CertificationRequest) p.readObject());
      return sign(new X500Name("O=weft"), csr.getPublicKey(), lifetime,
          "spiffe://cluster.local/ns/shop/sa/web");
    }
  }

  X509Certificate sign(X500Name subject, java.security.PublicKey key, Duration life, String uri)
      throws Exception {
    Instant now = Instant.now().minusSeconds(1);
    var b = new JcaX509v3CertificateBuilder(new X500Name("O=weft test root"),
        BigInteger.valueOf(System.nanoTime()), Date.from(now), Date.from(now.plus(life)), subject, key);
    if (uri == null) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    } else {
      b.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, uri)));
    }
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate());
    return new JcaX509CertificateConverter().getCertificate(b.build(signer));
  }

  static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
