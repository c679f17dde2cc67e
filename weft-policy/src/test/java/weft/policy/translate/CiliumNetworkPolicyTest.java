package weft.policy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.policy.engine.DenyMode;
import weft.policy.engine.Verdict;
import weft.policy.model.Dialect;

/** docs.cilium.io/en/stable/security/policy/ (language, layer 3/4/7, deny), section by section. */
class CiliumNetworkPolicyTest {

  static String cnp(String name, String spec) {
    return "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: " + name
        + ", namespace: default}\nspec:\n  endpointSelector: {matchLabels: {app: jobs-api}}\n" + spec.indent(2);
  }

  static final String L7 = cnp("l7", """
      ingress:
      - fromEndpoints: [{matchLabels: {app: tweet}}]
        toPorts:
        - ports: [{port: "80", protocol: TCP}]
          rules:
            http:
            - {method: GET, path: "/jobs/[0-9]+"}
            - {method: POST, path: /jobs, headers: ["X-Team: hiring"]}
      """);
  static final String SAME_NAMESPACE = cnp("ns", "ingress:\n- fromEndpoints: [{}]\n");
  static final String OTHER_NAMESPACE = cnp("other-ns", """
      ingress:
      - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: other}}]
      """);
  static final String DENY_WINS = cnp("deny", """
      ingress:
      - fromEntities: [all]
      ingressDeny:
      - fromEndpoints: [{matchLabels: {app: tweet}}]
      """);
  static final String DENY_ONLY = cnp("deny-only", """
      ingressDeny:
      - fromEndpoints: [{matchLabels: {app: tweet}}]
      """);
  static final String DENY_NO_DEFAULT = cnp("deny-no-default", """
      enableDefaultDeny: {ingress: false}
      ingressDeny:
      - fromEndpoints: [{matchLabels: {app: tweet}}]
      """);
  static final String L4_ONLY = cnp("l4", """
      ingress:
      - toPorts: [{ports: [{port: "80"}]}]
      """);
  static final String EMPTY_RULE = cnp("empty", "ingress:\n- {}\n");
  static final String CIDR = cnp("cidr", """
      ingress:
      - fromCIDRSet: [{cidr: 10.0.0.0/8, except: [10.9.0.0/16]}]
      """);
  static final String WORLD = cnp("world", "ingress:\n- fromEntities: [world]\n");
  static final String CLUSTER = cnp("cluster", "ingress:\n- fromEntities: [cluster]\n");
  static final String REMOTE_NODE = cnp("remote-node", "ingress:\n- fromEntities: [remote-node]\n");
  static final String EGRESS = """
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: {name: egress, namespace: default}
      spec:
        endpointSelector: {matchLabels: {app: tweet}}
        egress:
        - toEntities: [cluster]
      """;
  static final String KAFKA = """
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: {name: kafka, namespace: default}
      spec:
        endpointSelector: {matchLabels: {app: kafka}}
        ingress:
        - fromEndpoints: [{matchLabels: {app: tweet}}]
          toPorts:
          - ports: [{port: "9092", protocol: TCP}]
            rules:
              kafka: [{role: produce, topic: jobs}]
      """;
  static final String REQUIRES = cnp("requires", """
      ingress:
      - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: other}}, {matchLabels: {app: tweet}}]
        fromRequires: [{matchLabels: {k8s:io.kubernetes.pod.namespace: default}}]
      """);
  static final String ANY_PROTOCOL = cnp("any", """
      ingress:
      - toPorts: [{ports: [{port: "53", protocol: ANY}]}]
      """);
  static final String RANGE = cnp("range", """
      ingress:
      - toPorts: [{ports: [{port: "8000", endPort: 8010, protocol: TCP}]}]
      """);
  static final String CLUSTERWIDE = """
      apiVersion: cilium.io/v2
      kind: CiliumClusterwideNetworkPolicy
      metadata: {name: spy-lockdown}
      spec:
        endpointSelector: {matchLabels: {app: spy}}
        ingress:
        - fromEndpoints: [{matchLabels: {app: tweet}}]
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("layer 7 HTTP: method and path match", L7, "default/tweet default/jobs-api 80 GET /jobs/331", true),
        Arguments.of("layer 7 HTTP: path regex is anchored at the end", L7, "default/tweet default/jobs-api 80 GET /jobs/331/delete", false),
        Arguments.of("layer 7 HTTP: path regex is anchored at the start", L7, "default/tweet default/jobs-api 80 GET /v1/jobs/331", false),
        Arguments.of("layer 7 HTTP: path includes the query", L7, "default/tweet default/jobs-api 80 GET /jobs/1?page=2", false),
        Arguments.of("layer 7 HTTP: method regex", L7, "default/tweet default/jobs-api 80 DELETE /jobs/1", false),
        Arguments.of("layer 7 HTTP: headers required", L7, "default/tweet default/jobs-api 80 POST /jobs", false),
        Arguments.of("layer 7 HTTP: headers present", L7, "default/tweet default/jobs-api 80 POST /jobs h:x-team=hiring", true),
        Arguments.of("layer 7 HTTP: other peers dropped at L3", L7, "default/recruiter default/jobs-api 80 GET /jobs/1", false),
        Arguments.of("endpoints based: {} in a namespaced policy is this namespace", SAME_NAMESPACE, "default/recruiter default/jobs-api 80", true),
        Arguments.of("endpoints based: {} does not reach other namespaces", SAME_NAMESPACE, "other/spy default/jobs-api 80", false),
        Arguments.of("endpoints based: explicit namespace label crosses namespaces", OTHER_NAMESPACE, "other/spy default/jobs-api 80", true),
        Arguments.of("endpoints based: explicit namespace excludes own namespace", OTHER_NAMESPACE, "default/tweet default/jobs-api 80", false),
        Arguments.of("deny policies: deny wins over allow all", DENY_WINS, "default/tweet default/jobs-api 80", false),
        Arguments.of("deny policies: others still allowed", DENY_WINS, "default/recruiter default/jobs-api 80", true),
        Arguments.of("default deny: a deny-only policy also isolates", DENY_ONLY, "default/recruiter default/jobs-api 80", false),
        Arguments.of("enableDefaultDeny false: deny still applies", DENY_NO_DEFAULT, "default/tweet default/jobs-api 80", false),
        Arguments.of("enableDefaultDeny false: the rest stays allowed", DENY_NO_DEFAULT, "default/recruiter default/jobs-api 80", true),
        Arguments.of("layer 4: toPorts without L3 allows every peer", L4_ONLY, "203.0.113.7 default/jobs-api 80", true),
        Arguments.of("layer 4: other ports denied", L4_ONLY, "default/tweet default/jobs-api 81", false),
        Arguments.of("ingress default deny: an empty rule allows nothing", EMPTY_RULE, "default/tweet default/jobs-api 80", false),
        Arguments.of("CIDR based: selects outside addresses", CIDR, "10.8.1.1 default/jobs-api 80", true),
        Arguments.of("CIDR based: except", CIDR, "10.9.1.1 default/jobs-api 80", false),
        Arguments.of("CIDR based: never selects cluster endpoints", CIDR, "default/tweet default/jobs-api 80", false),
        Arguments.of("entities: world", WORLD, "8.8.8.8 default/jobs-api 80", true),
        Arguments.of("entities: world is not cluster", WORLD, "default/tweet default/jobs-api 80", false),
        Arguments.of("entities: cluster includes endpoints", CLUSTER, "other/spy default/jobs-api 80", true),
        Arguments.of("entities: cluster includes nodes", CLUSTER, "node/node-2 default/jobs-api 80", true),
        Arguments.of("entities: cluster excludes world", CLUSTER, "8.8.8.8 default/jobs-api 80", false),
        Arguments.of("entities: remote-node", REMOTE_NODE, "node/node-2 default/jobs-api 80", true),
        Arguments.of("entities: remote-node is not an endpoint", REMOTE_NODE, "default/recruiter default/jobs-api 80", false),
        Arguments.of("egress: toEntities cluster", EGRESS, "default/tweet default/jobs-api 80", true),
        Arguments.of("egress: world denied", EGRESS, "default/tweet 8.8.8.8 443", false),
        Arguments.of("kafka: produce role to the topic", KAFKA, "default/tweet default/kafka 9092 kafka=produce/jobs", true),
        Arguments.of("kafka: produce role, other topic", KAFKA, "default/tweet default/kafka 9092 kafka=produce/payroll", false),
        Arguments.of("kafka: produce role excludes fetch", KAFKA, "default/tweet default/kafka 9092 kafka=fetch/jobs", false),
        Arguments.of("fromRequires: narrows every selector", REQUIRES, "other/spy default/jobs-api 80", false),
        Arguments.of("fromRequires: satisfied", REQUIRES, "default/tweet default/jobs-api 80", true),
        Arguments.of("layer 4: ANY covers UDP", ANY_PROTOCOL, "default/tweet default/jobs-api 53 udp", true),
        Arguments.of("layer 4: ANY covers TCP", ANY_PROTOCOL, "default/tweet default/jobs-api 53", true),
        Arguments.of("layer 4: endPort range", RANGE, "default/tweet default/jobs-api 8010", true),
        Arguments.of("layer 4: past endPort", RANGE, "default/tweet default/jobs-api 8011", false),
        Arguments.of("clusterwide: selects in any namespace", CLUSTERWIDE, "default/recruiter other/spy 80", false),
        Arguments.of("clusterwide: peers in any namespace", CLUSTERWIDE, "default/tweet other/spy 80", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void followsTheCiliumDocs(String doc, String policy, String flow, boolean allow) {
    Verdict v = Scenario.engine(policy).evaluate(Scenario.flow(flow));
    assertThat(v.dialect(Dialect.CILIUM).allowed()).as(v.toString()).isEqualTo(allow);
  }

  @Test
  void traceNamesTheHttpRuleThatAllowed() {
    Verdict v = Scenario.engine(L7).evaluate(Scenario.flow("default/tweet default/jobs-api 80 POST /jobs h:x-team=hiring"));
    assertThat(v.dialect(Dialect.CILIUM).rule())
        .isEqualTo("CiliumNetworkPolicy default/l7 spec.ingress[0].toPorts[0].rules.http[1]");
  }

  @Test
  void deniesShowAsDropHttp403OrKafkaError() {
    assertThat(Scenario.engine(L7).evaluate(Scenario.flow("default/tweet default/jobs-api 80 GET /x")).denyMode()).contains(DenyMode.HTTP_403);
    assertThat(Scenario.engine(L7).evaluate(Scenario.flow("default/recruiter default/jobs-api 80 GET /x")).denyMode()).contains(DenyMode.DROP);
    assertThat(Scenario.engine(KAFKA).evaluate(Scenario.flow("default/tweet default/kafka 9092 kafka=produce/x")).denyMode()).contains(DenyMode.KAFKA_ERROR);
  }

  @Test
  void specsRulesAreNamedByTheirOwnPath() {
    String specs = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: specs, namespace: default}
        specs:
        - endpointSelector: {matchLabels: {app: tweet}}
          ingress: [{fromEndpoints: [{}]}]
        - endpointSelector: {matchLabels: {app: jobs-api}}
          ingress: [{fromEndpoints: [{matchLabels: {app: recruiter}}]}]
        """;
    Verdict v = Scenario.engine(specs).evaluate(Scenario.flow("default/recruiter default/jobs-api 80"));
    assertThat(v.dialect(Dialect.CILIUM).rule()).isEqualTo("CiliumNetworkPolicy default/specs specs[1].ingress[0]");
  }
}
