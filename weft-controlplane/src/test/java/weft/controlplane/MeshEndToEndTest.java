package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.ca.CertificateAuthority;
import weft.proxy.xds.XdsProxy;

/**
 * Issue 4's evidence: a control plane, three workloads with their proxies (jobs-api, tweet,
 * recruiter on 127.0.0.21..23) and a real backend for jobs-api; mTLS, L7 policy, policy changes,
 * a bad policy file and a control plane restart, in that order.
 */
@Timeout(90)
class MeshEndToEndTest {
  private static final String JOBS = "127.0.0.21";
  private static final String TWEET = "127.0.0.22";
  private static final String RECRUITER = "127.0.0.23";
  private static final Duration CONVERGE = Duration.ofSeconds(20);

  @TempDir Path tmp;
  private final LoopbackMesh open = new LoopbackMesh();
  private final ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();

  @AfterEach
  void closeAll() {
    open.close();
  }

  private static int freePort(String address) throws IOException {
    return LoopbackMesh.freePort(address);
  }

  private static String workload(String name, String address, int port, int outbound) {
    return LoopbackMesh.workload(name, address, "{name: http, port: " + port + "}", outbound);
  }

  private static String policy(String methods) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: jobs-api, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs-api}}
          action: ALLOW
          rules:
          - from: [{source: {principals: [cluster.local/ns/default/sa/tweet]}}]
            to: [{operation: {methods: %s, paths: ["/jobs/*", "/jobs"]}}]
        """.formatted(methods);
  }

  record Reply(int status, String body) {}

  /** HTTP/1.1 over a plain socket (java.net.http refuses to set Host). */
  private static Reply http(Socket s, String method, String path, String host) throws IOException {
    try (s) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      if (all.isEmpty()) {
        throw new IOException("connection closed without a response");
      }
      int status = Integer.parseInt(all.substring(9, 12));
      int head = all.indexOf("\r\n\r\n");
      return new Reply(status, head < 0 ? "" : all.substring(head + 4));
    }
  }

  private static Socket plain(String address, int port) throws IOException {
    Socket s = new Socket();
    s.connect(new InetSocketAddress(address, port), 2000);
    return s;
  }

  private ControlPlane cp;
  private Path config;
  private int outboundTweet;
  private int outboundRecruiter;
  private XdsProxy jobsProxy;
  private XdsProxy tweetProxy;

  private Reply fromTweet(String method, String path) throws IOException {
    return http(plain(TWEET, outboundTweet), method, path, "jobs-api");
  }

  private JsonNode status(int apiPort) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/api/v1/status")).build(),
        HttpResponse.BodyHandlers.ofString());
    return new ObjectMapper().readTree(r.body());
  }

  @Test
  void meshEnforcesMtlsAndPolicyAndSurvivesAControlPlaneRestart() throws Exception {
    HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    backend.createContext("/", ex -> {
      seen.add(ex.getRequestMethod() + " " + ex.getRequestURI());
      byte[] body = "job 1".getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(200, body.length);
      ex.getResponseBody().write(body);
      ex.close();
    });
    backend.start();
    open.register(() -> backend.stop(0));
    int jobsPort = backend.getAddress().getPort();
    outboundTweet = freePort(TWEET);
    outboundRecruiter = freePort(RECRUITER);

    config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), String.join("---\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
        workload("jobs-api", JOBS, jobsPort, freePort(JOBS)),
        workload("tweet", TWEET, freePort(TWEET), outboundTweet),
        workload("recruiter", RECRUITER, freePort(RECRUITER), outboundRecruiter),
        "apiVersion: v1\nkind: Service\nmetadata: {name: jobs-api, namespace: default}\n"
            + "spec: {selector: {app: jobs-api}, ports: [{name: http, port: 80, targetPort: " + jobsPort + "}]}\n",
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: default}\n"
            + "spec: {mtls: {mode: STRICT}}\n"));
    Files.writeString(config.resolve("policy.yaml"), policy("[GET]"));
    ControlPlaneOptions options = ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0);
    cp = ControlPlane.start(options);
    open.register(() -> cp.close());
    int xdsPort = cp.xdsPort();
    int apiPort = cp.apiPort();
    for (String w : List.of("jobs-api", "tweet", "recruiter")) {
      XdsProxy p = XdsProxy.start(new XdsProxy.Options(new InetSocketAddress("127.0.0.1", xdsPort), "default/" + w,
          cp.tokenFile("default/" + w), "127.0.0.1:" + apiPort, 0, 1, Duration.ofMillis(200)));
      open.register(p);
      if (w.equals("jobs-api")) {
        jobsProxy = p;
      } else if (w.equals("tweet")) {
        tweetProxy = p;
      }
    }

    // 1. tweet -> its outbound listener -> jobs-api's STRICT inbound -> backend
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(fromTweet("GET", "/jobs/1")).isEqualTo(new Reply(200, "job 1")));
    assertThat(seen).contains("GET /jobs/1");
    // the translator's output is accepted as a whole: no proxy ever NACKed (in particular not the
    // proxyless default snapshot while its workload's first translation was pending)
    assertThat(cp.proxies().all()).hasSize(3).allSatisfy(p -> assertThat(p.lastNack()).isEmpty());

    // 2. L7 policy: POST is not allowed for tweet
    Reply post = fromTweet("POST", "/jobs");
    assertThat(post.status()).isEqualTo(403);
    assertThat(post.body()).isEqualTo("RBAC: access denied");
    assertThat(seen).doesNotContain("POST /jobs");
    // the verdict is by the caller's SPIFFE ID from its mTLS certificate: recruiter is not allowed
    Reply recruiter = http(plain(RECRUITER, outboundRecruiter), "GET", "/jobs/1", "jobs-api");
    assertThat(recruiter).isEqualTo(new Reply(403, "RBAC: access denied"));
    assertThat(counter(jobsProxy, "rbac.allowed")).isPositive();
    assertThat(counter(jobsProxy, "rbac.denied")).isGreaterThanOrEqualTo(2);

    // 3. plaintext straight to the STRICT inbound port fails; a CA-signed cert for another identity is refused
    assertThatThrownBy(() -> http(plain(JOBS, jobsPort), "GET", "/jobs/1", "jobs-api")).isInstanceOf(IOException.class);
    int before = seen.size();
    Reply wrongId = http(mtls("spiffe://cluster.local/ns/default/sa/intruder", JOBS, jobsPort), "GET", "/jobs/1", "jobs-api");
    assertThat(wrongId).isEqualTo(new Reply(403, "RBAC: access denied"));
    // and the same CA's certificate for tweet's ID is let through: the ID, not the CA, was refused
    Reply rightId = http(mtls("spiffe://cluster.local/ns/default/sa/tweet", JOBS, jobsPort), "GET", "/jobs/1", "jobs-api");
    assertThat(rightId.status()).isEqualTo(200);
    assertThat(seen).hasSize(before + 1);

    // 4. a policy change is enforced without restarts
    Files.writeString(config.resolve("policy.yaml"), policy("[GET, POST]"));
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(fromTweet("POST", "/jobs").status()).isEqualTo(200));

    // 5. a bad policy file is reported; the previous verdicts stay
    Files.writeString(config.resolve("policy.yaml"), policy("[GET, POST]").replace("action: ALLOW", "action: PERHAPS"));
    await().atMost(CONVERGE).untilAsserted(() -> {
      JsonNode bad = null;
      for (JsonNode s : status(apiPort).path("sources")) {
        if (s.path("source").asText().equals("policy.yaml")) {
          bad = s;
        }
      }
      assertThat(bad).isNotNull();
      assertThat(bad.path("ok").asBoolean()).isFalse();
      assertThat(bad.path("errors").toString()).contains("PERHAPS");
    });
    assertThat(fromTweet("POST", "/jobs").status()).isEqualTo(200);
    assertThat(fromTweet("GET", "/jobs/1").status()).isEqualTo(200);

    // 6. the control plane goes away: traffic flows; a new one on the same data dir and ports resyncs
    Files.writeString(config.resolve("policy.yaml"), policy("[GET, POST]"));
    cp.close();
    // both ends of the call have seen their ADS stream go, and still serve their last config
    await().atMost(CONVERGE).until(() -> counter(tweetProxy, "control_plane.connected_state_lost") > 0
        && counter(jobsProxy, "control_plane.connected_state_lost") > 0);
    assertThat(fromTweet("GET", "/jobs/1").status()).isEqualTo(200);
    assertThat(fromTweet("POST", "/jobs").status()).isEqualTo(200);
    cp = ControlPlane.start(options.withPorts(xdsPort, apiPort));
    await().atMost(CONVERGE).untilAsserted(() ->
        assertThat(cp.proxies().all()).filteredOn(p -> p.connected()).hasSize(3));
    Files.writeString(config.resolve("policy.yaml"), policy("[GET]"));
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(fromTweet("POST", "/jobs").status()).isEqualTo(403));
    assertThat(fromTweet("GET", "/jobs/1").status()).isEqualTo(200);
    assertThat(cp.proxies().all()).allSatisfy(p -> assertThat(p.lastNack()).isEmpty());
  }

  /** The sum of the proxy's counters whose name ends with {@code suffix} (any stat prefix). */
  private static long counter(XdsProxy proxy, String suffix) {
    return proxy.runtime().stats().counters().stream().filter(c -> c.name().endsWith(suffix))
        .mapToLong(c -> c.value()).sum();
  }

  /** A TLS socket presenting a certificate the mesh's own CA signed for {@code spiffeId}. */
  private Socket mtls(String spiffeId, String address, int port) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    String csr = pem(new JcaPKCS10CertificationRequestBuilder(new X500Name("O=weft"), key.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    CertificateAuthority ca = CertificateAuthority.loadOrCreate(tmp.resolve("data"), Clock.systemUTC());
    String chain = ca.sign(csr, spiffeId, Duration.ofHours(1));
    JdkSslContext ctx = (JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
        .keyManager(in(chain), in(pem(new JcaPKCS8Generator(key.getPrivate(), null))))
        .trustManager(in(ca.trustBundlePem()))
        .build();
    Socket s = ctx.context().getSocketFactory().createSocket(plain(address, port), address, port, true);
    ((javax.net.ssl.SSLSocket) s).startHandshake();
    return s;
  }

  private static InputStream in(String pem) {
    return new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII));
  }

  private static String pem(Object o) throws IOException {
    StringWriter w = new StringWriter();
    try (JcaPEMWriter p = new JcaPEMWriter(w)) {
      p.writeObject(o);
    }
    return w.toString();
  }
}
