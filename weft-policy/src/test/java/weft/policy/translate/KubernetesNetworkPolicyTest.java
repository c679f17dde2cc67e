package weft.policy.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.policy.engine.Verdict;
import weft.policy.model.Dialect;

/** kubernetes.io/docs/concepts/services-networking/network-policies/, section by section. */
class KubernetesNetworkPolicyTest {

  static final String AND_FORM = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: and-form, namespace: default}
      spec:
        podSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: other}}
            podSelector: {matchLabels: {app: tweet}}
      """;

  static final String OR_FORM = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: or-form, namespace: default}
      spec:
        podSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - from:
          - namespaceSelector: {matchLabels: {team: other}}
          - podSelector: {matchLabels: {app: tweet}}
      """;

  static final String IP_BLOCK = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: ip-block, namespace: default}
      spec:
        podSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - from:
          - ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.3/32]}
      """;

  static final String END_PORT = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: end-port, namespace: default}
      spec:
        podSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - ports: [{protocol: TCP, port: 8000, endPort: 8010}]
      """;

  static final String NAMED_PORT = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: named-port, namespace: default}
      spec:
        podSelector: {}
        ingress:
        - ports: [{port: http}]
      """;

  static final String EGRESS_ONLY = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: egress-only, namespace: default}
      spec:
        podSelector: {matchLabels: {app: tweet}}
        policyTypes: [Egress]
        egress:
        - to: [{podSelector: {matchLabels: {app: jobs-api}}}]
          ports: [{port: 80}]
      """;

  static final String DENY_ALL = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: default-deny, namespace: default}
      spec:
        podSelector: {}
        policyTypes: [Ingress]
      """;

  static final String UDP = """
      apiVersion: networking.k8s.io/v1
      kind: NetworkPolicy
      metadata: {name: dns, namespace: default}
      spec:
        podSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - ports: [{protocol: UDP, port: 53}]
      """;

  static Stream<Arguments> rows() {
    return Stream.of(
        Arguments.of("behavior of to and from selectors: namespaceSelector AND podSelector in one entry", AND_FORM, "other/spy default/jobs-api 80", false),
        Arguments.of("behavior of to and from selectors: AND form needs the namespace too", AND_FORM, "default/tweet default/jobs-api 80", false),
        Arguments.of("behavior of to and from selectors: two entries are OR (namespace)", OR_FORM, "other/spy default/jobs-api 80", true),
        Arguments.of("behavior of to and from selectors: two entries are OR (pod, same namespace)", OR_FORM, "default/tweet default/jobs-api 80", true),
        Arguments.of("behavior of to and from selectors: neither", OR_FORM, "default/recruiter default/jobs-api 80", false),
        Arguments.of("ipBlock: inside cidr", IP_BLOCK, "default/tweet default/jobs-api 80", true),
        Arguments.of("ipBlock: except carves out", IP_BLOCK, "default/recruiter default/jobs-api 80", false),
        Arguments.of("ipBlock: outside cidr", IP_BLOCK, "203.0.113.7 default/jobs-api 80", false),
        Arguments.of("targeting a range of ports: inside endPort", END_PORT, "default/tweet default/jobs-api 8005", true),
        Arguments.of("targeting a range of ports: endPort inclusive", END_PORT, "default/tweet default/jobs-api 8010", true),
        Arguments.of("targeting a range of ports: past endPort", END_PORT, "default/tweet default/jobs-api 8011", false),
        Arguments.of("named port resolves on the destination pod", NAMED_PORT, "default/tweet default/jobs-api 80", true),
        Arguments.of("named port: other port", NAMED_PORT, "default/tweet default/jobs-api 81", false),
        Arguments.of("named port: destination without that name", NAMED_PORT, "default/tweet default/kafka 80", false),
        Arguments.of("policyTypes Egress: egress allowed by rule", EGRESS_ONLY, "default/tweet default/jobs-api 80", true),
        Arguments.of("policyTypes Egress: other egress denied", EGRESS_ONLY, "default/tweet 8.8.8.8 443", false),
        Arguments.of("policyTypes Egress: ingress not isolated", EGRESS_ONLY, "default/recruiter default/tweet 80", true),
        Arguments.of("default deny all ingress traffic", DENY_ALL, "default/tweet default/jobs-api 80", false),
        Arguments.of("default deny: other namespaces unaffected", DENY_ALL, "default/tweet other/spy 80", true),
        Arguments.of("what you can't do: block access from the resident node", DENY_ALL, "node/node-1 default/jobs-api 80", true),
        Arguments.of("default deny: another node is not exempt", DENY_ALL, "node/node-2 default/jobs-api 80", false),
        Arguments.of("ports: protocol UDP allows UDP", UDP, "default/tweet default/jobs-api 53 udp", true),
        Arguments.of("ports: protocol UDP does not allow TCP", UDP, "default/tweet default/jobs-api 53", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("rows")
  void followsTheKubernetesDocs(String doc, String policy, String flow, boolean allow) {
    Verdict v = Scenario.engine(policy).evaluate(Scenario.flow(flow));
    assertThat(v.dialect(Dialect.KUBERNETES).allowed()).as(v.toString()).isEqualTo(allow);
    assertThat(v.allowed()).isEqualTo(allow);
  }
}
