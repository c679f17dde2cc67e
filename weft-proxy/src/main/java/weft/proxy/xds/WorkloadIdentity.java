package weft.proxy.xds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workload's certificate, as Istio's agent gets it: an ECDSA P-256 key generated in memory
 * (it never leaves the process), a PKCS#10 CSR sent with the bootstrap token to the control
 * plane's {@code POST /api/v1/certificates}, the returned chain published as the SDS secret
 * {@code default}. Rotates at half-life with a new key; retries with backoff while the CA is
 * unreachable or refuses.
 */
public final class WorkloadIdentity implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkloadIdentity.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  public static final String SECRET_NAME = "default";

  /**
   * An issued certificate: the secret to serve, when it stops being valid, and the key and chain
   * (leaf first; the last certificate is the mesh root the CA answered with) for the ADS channel's
   * own TLS.
   */
  public record Issued(Secret secret, Instant notBefore, Instant notAfter, PrivateKey key,
      List<X509Certificate> chain) {
    public Issued {
      chain = List.copyOf(chain);
    }

    /** Half-way through the leaf's validity, when Istio rotates. */
    public Instant rotateAt() {
      return notBefore.plus(Duration.between(notBefore, notAfter).dividedBy(2));
    }
  }

  private final URI endpoint;
  private final String token;
  private final Consumer<Secret> sink;
  private final Backoff backoff;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "weft-identity");
    t.setDaemon(true);
    return t;
  });
  private volatile Issued current;
  private final List<Consumer<Issued>> listeners = new CopyOnWriteArrayList<>();

  /**
   * @param caAddress the control plane's API, {@code host:port}
   * @param sink receives each new {@code default} secret (e.g. {@link AdsClient#putLocalSecret})
   */
  public WorkloadIdentity(String caAddress, String token, Consumer<Secret> sink, Backoff backoff) {
    this.endpoint = URI.create("http://" + caAddress + "/api/v1/certificates");
    this.token = token.strip();
    this.sink = sink;
    this.backoff = backoff;
  }

  /**
   * Also tells {@code listener} of every new certificate, after the sink (e.g. the ADS channel's
   * TLS, {@link XdsTls#update}). Register before {@link #start}.
   */
  public void onIssued(Consumer<Issued> listener) {
    listeners.add(listener);
  }

  /** Requests the first certificate now (asynchronously); retries and rotates by itself. */
  public void start() {
    timer.execute(this::renew);
  }

  /** The certificate in force, or null before the first one arrives. */
  public Issued current() {
    return current;
  }

  private void renew() {
    try {
      Issued issued = issue();
      current = issued;
      backoff.reset();
      sink.accept(issued.secret());
      listeners.forEach(l -> l.accept(issued));
      long delay = Math.max(1000, Duration.between(Instant.now(), issued.rotateAt()).toMillis());
      LOG.info("workload certificate valid until {}; rotating in {} s", issued.notAfter(), delay / 1000);
      timer.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      Duration wait = backoff.next();
      LOG.warn("workload certificate from {} failed ({}); retrying in {} ms", endpoint,
          e.getMessage(), wait.toMillis());
      timer.schedule(this::renew, wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One CSR round trip with a fresh key. */
  Issued issue() throws IOException, InterruptedException, GeneralSecurityException,
      OperatorCreationException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    String body = JSON.writeValueAsString(Map.of("token", token, "csr", csr(key)));
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint)
        .timeout(Duration.ofSeconds(10))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("HTTP " + r.statusCode() + ": " + r.body().strip());
    }
    String chain = chainOf(r);
    var certs = CertificateFactory.getInstance("X.509").generateCertificates(
        new ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)));
    if (certs.isEmpty()) {
      throw new IOException("the CA answered without a certificate");
    }
    X509Certificate leaf = (X509Certificate) certs.iterator().next();
    if (!leaf.getPublicKey().equals(key.getPublic())) {
      throw new IOException("the CA's certificate is not for the key of the CSR");
    }
    String keyPem = "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getPrivate().getEncoded())
        + "\n-----END PRIVATE KEY-----\n";
    Secret s = Secret.newBuilder().setName(SECRET_NAME).setTlsCertificate(TlsCertificate.newBuilder()
        .setCertificateChain(DataSource.newBuilder().setInlineString(chain))
        .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem))).build();
    List<X509Certificate> chainCerts = new ArrayList<>();
    certs.forEach(c -> chainCerts.add((X509Certificate) c));
    return new Issued(s, leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant(),
        key.getPrivate(), chainCerts);
  }

  /** cp-core answers the PEM itself; a JSON {@code {"certificateChain": PEM}} is accepted too. */
  private static String chainOf(HttpResponse<String> r) throws IOException {
    String body = r.body();
    if (body.stripLeading().startsWith("{")) {
      JsonNode n = JSON.readTree(body).get("certificateChain");
      if (n == null || !n.isTextual()) {
        throw new IOException("the CA's JSON answer has no certificateChain");
      }
      return n.asText();
    }
    return body;
  }

  static String csr(KeyPair key) throws OperatorCreationException, IOException {
    var req = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=weft"), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate()));
    StringWriter w = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(req);
    }
    return w.toString();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
