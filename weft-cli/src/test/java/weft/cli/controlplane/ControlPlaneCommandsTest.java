package weft.cli.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.cli.Cli;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;

/** The everyday commands against a running control plane's API (issue 5, "the everyday CLI"). */
@Timeout(60)
class ControlPlaneCommandsTest {
  static final String WORKLOADS = """
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-api, namespace: default, labels: {app: jobs-api}}
      spec:
        serviceAccount: jobs-api
        addresses: [127.0.10.1]
        ports: [{name: http, port: 80}]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: tweet, namespace: default, labels: {app: tweet}}
      spec:
        serviceAccount: tweet
        addresses: [127.0.10.2]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Service
      metadata: {name: jobs-api, namespace: default}
      spec:
        selector: {app: jobs-api}
        ports: [{port: 80}]
      """;
  static final String POLICY = """
      apiVersion: security.istio.io/v1
      kind: AuthorizationPolicy
      metadata: {name: jobs-allow, namespace: default}
      spec:
        selector: {matchLabels: {app: jobs-api}}
        rules: [{to: [{operation: {methods: [GET]}}]}]
      """;

  @TempDir static Path tmp;
  static ControlPlane cp;
  static String server;

  @BeforeAll
  static void start() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("workloads.yaml"), WORKLOADS);
    Files.writeString(config.resolve("typo.yaml"), POLICY.replace("jobs-allow", "typo").replace("rules", "rulez"));
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0));
    server = "http://127.0.0.1:" + cp.apiPort();
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  static Cli weft(String... args) {
    return Cli.run(args);
  }

  @Test
  void getWorkloadsPrintsAnAlignedTable() {
    Cli r = weft("get", "workloads", "--server", server);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("""
        NAMESPACE   NAME       ADDRESSES    PORTS     SPIFFE ID
        default     jobs-api   127.0.10.1   http:80   spiffe://cluster.local/ns/default/sa/jobs-api
        default     tweet      127.0.10.2   <none>    spiffe://cluster.local/ns/default/sa/tweet
        """);
  }

  @Test
  void getServicesShowsEndpointsAndJsonIsTheApiShape() throws Exception {
    Cli r = weft("get", "services", "--server", server);
    assertThat(r.out()).contains("jobs-api").contains("80->80").contains("127.0.10.1:80");
    Cli json = weft("get", "services", "-o", "json", "--server", server);
    assertThat(new ObjectMapper().readTree(json.out()).get(0).get("endpoints").get(0).get("workload").asText())
        .isEqualTo("default/jobs-api");
    assertThat(weft("get", "services", "-o", "yaml", "--server", server).out()).contains("workload: \"default/jobs-api\"");
  }

  @Test
  void getAcceptsSingularAndShortNamesAndRefusesOthers() {
    assertThat(weft("get", "svc", "--server", server).out()).contains("127.0.10.1:80");
    assertThat(weft("get", "workload", "--server", server).out()).contains("jobs-api");
    Cli r = weft("get", "pods", "--server", server);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("'pods' (expected: workloads, services, policies, proxies or status)");
  }

  @Test
  void getStatusNamesTheFileThatWasRefused() {
    Cli r = weft("get", "status", "--server", server);
    assertThat(r.status()).isZero();
    assertThat(r.out()).containsPattern("typo\\.yaml +error")
        .contains("typo.yaml[0]: AuthorizationPolicy default/typo: spec.rulez");
  }

  @Test
  void applyThenDescribeThenDelete() throws Exception {
    Path file = tmp.resolve("policy.yaml");
    Files.writeString(file, POLICY);
    Cli applied = weft("apply", "-f", file.toString(), "--server", server);
    assertThat(applied.out()).isEqualTo("AuthorizationPolicy default/jobs-allow applied\n");
    assertThat(weft("get", "policies", "--server", server).out())
        .containsPattern("AuthorizationPolicy +default +jobs-allow +default/jobs-api +api");
    Cli described = weft("describe", "workload", "default/jobs-api", "--server", server);
    assertThat(described.out())
        .contains("SPIFFE ID:           spiffe://cluster.local/ns/default/sa/jobs-api")
        .contains("  AuthorizationPolicy default/jobs-allow (allow)")
        .contains("Certificate expiry:  <not issued yet>");
    assertThat(weft("delete", "-f", file.toString(), "--server", server).out())
        .isEqualTo("AuthorizationPolicy default/jobs-allow deleted\n");
  }

  @Test
  void aBadFileIsRefusedWholeWithItsErrors() throws Exception {
    Path file = tmp.resolve("bad.yaml");
    Files.writeString(file, POLICY.replace("jobs-allow", "ok-one") + "---\n" + POLICY.replace("jobs-allow", "bad").replace("methods", "methodz"));
    Cli r = weft("apply", "-f", file.toString(), "--server", server);
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: invalid resources: nothing applied\n  request.yaml[1]: AuthorizationPolicy default/bad");
    assertThat(weft("get", "policies", "--server", server).out()).doesNotContain("ok-one");
  }

  @Test
  void tokenCreateWritesAnOwnerOnlyFileTheControlPlaneAccepts() throws Exception {
    Path file = tmp.resolve("tweet.token");
    Cli r = weft("token", "create", "default/tweet", "-o", file.toString(), "--server", server);
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(cp.tokens().verify(Files.readString(file).strip())).contains("default/tweet");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    assertThat(weft("token", "create", "default/ghost", "--server", server).err()).contains("workload default/ghost not found");
  }

  @Test
  void anUnreachableControlPlaneIsReportedWithWhereWeLooked() {
    Cli r = weft("get", "workloads", "--server", "http://127.0.0.1:1");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).startsWith("error: cannot reach the control plane at http://127.0.0.1:1");
  }

  @Test
  void controlplaneReportsATakenPortAndTheFlagToChangeIt() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("other-config"));
    Cli r = weft("controlplane", "--config-dir", config.toString(), "--data-dir", tmp.resolve("other-data").toString(),
        "--xds-port", "0", "--api-port", Integer.toString(cp.apiPort()));
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("api port " + cp.apiPort() + " is already in use").contains("--api-port");
  }

  @ParameterizedTest
  @ValueSource(strings = {"controlplane", "apply", "delete", "get", "describe", "token"})
  void everyCommandHasAnExampleInItsHelp(String command) {
    Cli r = weft(command, "--help");
    assertThat(r.out()).contains("Example").contains("weft " + command);
  }
}
