package weft.cli.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.cli.Cli;

class PolicyCommandTest {
  static final String RESOURCES = "../examples/policies/resources";
  static final String PROBES = "../examples/policies/probes.yaml";

  static Cli run(String... args) {
    return Cli.run(args);
  }

  @Test
  void theExampleProbesPass() {
    Cli r = run("policy", "test", "-f", RESOURCES, PROBES);
    assertThat(r.out()).endsWith("12 passed, 0 failed\n");
    assertThat(r.status()).as(r.out() + r.err()).isZero();
  }

  @Test
  void aFailingProbePrintsItsTraceAndExitsNonZero(@TempDir Path dir) throws IOException {
    Path probes = dir.resolve("probes.yaml");
    Files.writeString(probes, """
        probes:
          - {from: default/tweet, to: default/jobs-api, port: 80, http: {method: DELETE, path: /jobs/1}, expect: allow}
          - {from: default/tweet, to: default/jobs-api, port: 80, http: {method: GET, path: /jobs/1}, expect: deny, denyMode: drop}
          - {from: default/tweet, to: default/jobs-api, port: 80, http: {method: GET, path: /jobs/1}, expect: allow}
        """);
    Cli r = run("policy", "test", "-f", RESOURCES, probes.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out()).contains("FAIL probes[0]")
        .contains("expected allow, got DENY (http-403) | cilium DENY by CiliumNetworkPolicy default/jobs-api-l7 spec.ingress[0].toPorts[0]")
        .contains("FAIL probes[1]")
        .endsWith("1 passed, 2 failed\n");
  }

  @Test
  void anUnknownProbeFieldIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
    Path probes = dir.resolve("probes.yaml");
    Files.writeString(probes, "probes:\n  - {from: default/tweet, to: default/jobs-api, port: 80, expext: allow}\n");
    Cli r = run("policy", "test", "-f", RESOURCES, probes.toString());
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("probes[0].expext: unknown field").contains("probes[0]: expect: required");
  }

  @Test
  void traceJsonHasTheDocumentedShape() {
    Cli r = run("policy", "trace", "-f", RESOURCES, "--from", "default/tweet", "--to", "default/jobs-api",
        "--port", "80", "--http-method", "GET", "--http-path", "/jobs/331", "-o", "json");
    assertThat(r.status()).as(r.err()).isZero();
    assertThat(r.out()).isEqualTo("{\"verdict\":\"ALLOW\",\"dialects\":["
        + "{\"dialect\":\"kubernetes\",\"verdict\":\"ALLOW\",\"rule\":\"NetworkPolicy default/jobs-api-ingress spec.ingress[0].ports\","
        + "\"reason\":\"no policy selects default/tweet for egress: default allow; ingress to default/jobs-api: allowed at L3/L4\"},"
        + "{\"dialect\":\"cilium\",\"verdict\":\"ALLOW\",\"rule\":\"CiliumNetworkPolicy default/jobs-api-l7 spec.ingress[0].toPorts[0].rules.http[0]\","
        + "\"reason\":\"egress from default/tweet: allowed at L3/L4; ingress to default/jobs-api: HTTP rule matches GET /jobs/331\"},"
        + "{\"dialect\":\"istio\",\"verdict\":\"ALLOW\",\"rule\":\"AuthorizationPolicy default/jobs-api spec.rules[0]\","
        + "\"reason\":\"ALLOW policy matches the request\"}]}\n");
  }

  @Test
  void traceTextNamesTheDenyingRuleAndHowItShows() {
    Cli r = run("policy", "trace", "-f", RESOURCES, "--from", "default/tweet", "--to", "default/jobs-api",
        "--port", "80", "--plaintext");
    assertThat(r.out()).startsWith("DENY (drop)\n")
        .contains("istio: DENY (drop)\n    rule:   PeerAuthentication default/default\n");
  }

  @Test
  void badInputExitsWithTwo(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("bad.yaml"), """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: bad, namespace: default}
        spec:
          endpointSelector: {}
          ingress:
          - toPorts: [{ports: [{port: "80"}], rules: {http: [{path: "("}]}}]
        """);
    Cli r = run("policy", "trace", "-f", dir.toString(), "--from", "1.2.3.4", "--to", "1.2.3.5", "--port", "80");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("CiliumNetworkPolicy default/bad").contains("path");
  }

  @Test
  void lintOfTheExampleHasNoErrors() {
    Cli r = run("policy", "lint", "-f", RESOURCES);
    assertThat(r.status()).as(r.out()).isZero();
    assertThat(r.out()).contains(" errors, ");
  }

  @Test
  void lintFindsADenyOnlyCiliumPolicyThatBlocksEverything(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("deny-only.yaml"), """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: api, namespace: default, labels: {app: api}}
        spec: {addresses: [10.0.0.1]}
        ---
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: client, namespace: default, labels: {app: client}}
        spec: {addresses: [10.0.0.2]}
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: deny-client, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: api}}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app: nobody}}]
        """);
    Cli r = run("policy", "lint", "-f", dir.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.out())
        .contains("error default-deny-allows-nothing: CiliumNetworkPolicy default/deny-client: has only deny rules, yet puts default/api into default deny for ingress")
        .contains("example: default/client -> default/api TCP/80")
        .contains("warning selector-matches-nothing: CiliumNetworkPolicy default/deny-client spec.ingressDeny[0]");
  }
}
