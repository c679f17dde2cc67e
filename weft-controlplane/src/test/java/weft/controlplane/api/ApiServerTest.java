package weft.controlplane.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;
import weft.controlplane.PortInUseException;

@Timeout(60)
class ApiServerTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String JOBS = """
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-api, namespace: default, labels: {app: jobs-api}}
      spec:
        serviceAccount: jobs-api
        addresses: [127.0.10.1]
        ports: [{name: http, port: 80}]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Service
      metadata: {name: jobs-api, namespace: default}
      spec:
        selector: {app: jobs-api}
        ports: [{name: http, port: 8080, targetPort: http}]
      """;
  static final String POLICY = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: jobs-allow, namespace: default}
      spec:
        selector: {matchLabels: {app: jobs-api}}
        rules: [{to: [{operation: {methods: [GET]}}]}]
      """;

  @TempDir Path tmp;
  Path configDir;
  ControlPlane cp;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    configDir = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(configDir.resolve("jobs.yaml"), JOBS);
    Files.writeString(configDir.resolve("broken.yaml"), "kind: Workload\napiVersion: weft.dev/v1alpha1\nmetadata: {name: x}\nspec: {bogus: 1}\n");
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(configDir), tmp.resolve("data")).withPorts(0, 0));
  }

  @AfterEach
  void stop() {
    cp.close();
  }

  record Reply(int status, String body) {
    JsonNode json() throws Exception {
      return JSON.readTree(body);
    }
  }

  Reply get(String path) throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  Reply post(String path, String body) throws Exception {
    var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(r.statusCode(), r.body());
  }

  @Test
  void statusShowsTheRevisionAndFileErrors() throws Exception {
    JsonNode status = get("/api/v1/status").json();
    assertThat(status.get("revision").asLong()).isEqualTo(1);
    assertThat(status.get("resources").asInt()).isEqualTo(2);
    JsonNode broken = status.get("sources").get(0);
    assertThat(broken.get("source").asText()).isEqualTo("broken.yaml");
    assertThat(broken.get("ok").asBoolean()).isFalse();
    assertThat(broken.get("errors").get(0).asText()).startsWith("broken.yaml[0]: Workload default/x: spec.bogus");
    assertThat(status.get("sources").get(1).get("ok").asBoolean()).isTrue();
    assertThat(status.get("proxies").get("total").asInt()).isZero();
  }

  @Test
  void listsWorkloadsAndServicesWithEndpoints() throws Exception {
    JsonNode w = get("/api/v1/workloads").json().get(0);
    assertThat(w.get("name").asText()).isEqualTo("jobs-api");
    assertThat(w.get("spiffeId").asText()).isEqualTo("spiffe://cluster.local/ns/default/sa/jobs-api");
    JsonNode svc = get("/api/v1/services").json().get(0);
    assertThat(svc.get("endpoints")).hasSize(1);
    assertThat(svc.get("endpoints").get(0).get("address").asText()).isEqualTo("127.0.10.1");
    assertThat(svc.get("endpoints").get(0).get("port").asInt()).isEqualTo(80);
  }

  @Test
  void applyIsAllOrNothingAndDescribeShowsSelectingPolicies() throws Exception {
    Reply bad = post("/api/v1/apply", POLICY + "---\n" + POLICY.replace("jobs-allow", "bad").replace("methods", "methodz"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").asText()).isEqualTo("invalid resources: nothing applied");
    assertThat(bad.json().get("details").get(0).asText()).contains("AuthorizationPolicy default/bad").contains("methodz");
    assertThat(get("/api/v1/policies").json()).isEmpty();

    Reply ok = post("/api/v1/apply", POLICY);
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.json().get("resources").get(0).asText()).isEqualTo("AuthorizationPolicy default/jobs-allow");
    JsonNode policy = get("/api/v1/policies").json().get(0);
    assertThat(policy.get("source").asText()).isEqualTo("api");
    assertThat(policy.get("selects").get(0).asText()).isEqualTo("default/jobs-api");
    JsonNode described = get("/api/v1/workloads/default/jobs-api").json();
    assertThat(described.get("policies").get(0).asText()).isEqualTo("AuthorizationPolicy default/jobs-allow (allow)");
    assertThat(described.get("source").asText()).isEqualTo("jobs.yaml");

    Reply conflict = post("/api/v1/apply", JOBS);
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(post("/api/v1/delete", POLICY).status()).isEqualTo(200);
    assertThat(get("/api/v1/policies").json()).isEmpty();
  }

  @Test
  void weftsTranslatorServesEveryWorkloadsProxy() throws Exception {
    await().atMost(Duration.ofSeconds(10)).until(() -> cp.xds().servedTo("default/jobs-api").isPresent());
    assertThat(cp.xds().servedTo("default/jobs-api").get().listeners()).isNotEmpty();
    assertThat(get("/api/v1/status").json().get("translationProblems")).isEmpty();
  }

  @Test
  void aFileEditIsVisibleThroughTheApi() throws Exception {
    Files.writeString(configDir.resolve("policy.yaml"), POLICY);
    await().atMost(Duration.ofSeconds(10)).until(() -> get("/api/v1/policies").json().size() == 1);
    assertThat(get("/api/v1/status").json().get("revision").asLong()).isEqualTo(2);
  }

  @Test
  void issuesTokensAndCertificatesForKnownWorkloads() throws Exception {
    assertThat(post("/api/v1/tokens", "{\"workload\": \"default/nobody\"}").status()).isEqualTo(404);
    String token = post("/api/v1/tokens", "{\"workload\": \"default/jobs-api\"}").json().get("token").asText();

    var gen = KeyPairGenerator.getInstance("EC");
    gen.initialize(new ECGenParameterSpec("secp256r1"));
    var keys = gen.generateKeyPair();
    var csr = new JcaPKCS10CertificationRequestBuilder(new X500Principal("CN=jobs-api"), keys.getPublic())
        .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
    StringWriter pem = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(pem)) {
      w.writeObject(csr);
    }
    String body = JSON.writeValueAsString(java.util.Map.of("token", token, "csr", pem.toString()));
    Reply chain = post("/api/v1/certificates", body);
    assertThat(chain.status()).isEqualTo(200);
    var leaf = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificates(new ByteArrayInputStream(chain.body().getBytes(StandardCharsets.US_ASCII))).iterator().next();
    assertThat(leaf.getSubjectAlternativeNames()).singleElement()
        .isEqualTo(List.of(6, "spiffe://cluster.local/ns/default/sa/jobs-api"));
    assertThat(get("/api/v1/workloads/default/jobs-api").json().get("certificateExpiry").asText())
        .isEqualTo(leaf.getNotAfter().toInstant().toString());

    Reply refused = post("/api/v1/certificates", body.replace(token, "A".repeat(43)));
    assertThat(refused.status()).isEqualTo(401);
    assertThat(refused.json().get("error").asText()).isEqualTo("bootstrap token not valid");
  }

  @Test
  void errorsAreJsonWithStatusCodes() throws Exception {
    assertThat(get("/api/v1/nothing").status()).isEqualTo(404);
    assertThat(get("/api/v1/workloads/default/ghost").json().get("error").asText())
        .isEqualTo("workload default/ghost not found");
    assertThat(get("/api/v1/apply").status()).isEqualTo(405);
    assertThat(get("/api/v1/workloads/default").status()).isEqualTo(404);
    assertThat(get("/api/v1/services/default/jobs-api").status()).isEqualTo(404);
    assertThat(post("/api/v1/tokens", "not json").status()).isEqualTo(400);
  }

  @Test
  void aTakenPortIsReportedByName() {
    var options = ControlPlaneOptions.defaults(Optional.empty(), tmp.resolve("data2")).withPorts(0, cp.apiPort());
    assertThatThrownBy(() -> ControlPlane.start(options).close())
        .isInstanceOfSatisfying(PortInUseException.class, e -> {
          assertThat(e.server()).isEqualTo("api");
          assertThat(e.port()).isEqualTo(cp.apiPort());
        });
  }
}
