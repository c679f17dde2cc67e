package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.api.NetworkPolicy;
import weft.api.k8s.IpBlock;
import weft.api.k8s.NetworkPolicyPeer;
import weft.api.k8s.NetworkPolicyPort;
import weft.api.k8s.PolicyType;
import weft.api.meta.Cidr;
import weft.api.meta.LabelRequirement;
import weft.api.meta.LabelSelector;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

class NetworkPolicyDecodeTest {
  private static final String HEAD =
      "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: np, namespace: jobs}\n";

  static Stream<Arguments> policyTypeDefaults() {
    // NetworkPolicySpec.policyTypes: "If this field is not specified, it will default based on the
    // existence of ingress or egress rules": Ingress always, Egress if there are egress rules.
    return Stream.of(
        Arguments.of("no rules: Ingress only", "spec: {podSelector: {}}", Set.of(PolicyType.INGRESS)),
        Arguments.of(
            "ingress rules: Ingress only", "spec: {podSelector: {}, ingress: [{}]}", Set.of(PolicyType.INGRESS)),
        Arguments.of(
            "egress rules: Ingress and Egress",
            "spec: {podSelector: {}, egress: [{}]}",
            Set.of(PolicyType.INGRESS, PolicyType.EGRESS)),
        Arguments.of(
            "empty egress list: Ingress only", "spec: {podSelector: {}, egress: []}", Set.of(PolicyType.INGRESS)),
        Arguments.of(
            "explicit Egress only",
            "spec: {podSelector: {}, policyTypes: [Egress]}",
            Set.of(PolicyType.EGRESS)),
        Arguments.of(
            "explicit Ingress with egress rules",
            "spec: {podSelector: {}, policyTypes: [Ingress], egress: [{}]}",
            Set.of(PolicyType.INGRESS)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policyTypeDefaults")
  void policyTypesDefaultAsKubernetesDocuments(String rule, String spec, Set<PolicyType> expected) {
    assertThat(Docs.single(HEAD + spec, NetworkPolicy.class).policyTypes()).isEqualTo(expected);
  }

  @Test
  void podAndNamespaceSelectorInOneEntryAreOnePeerButTwoEntriesAreTwoPeers() {
    // NetworkPolicyPeer: both selectors in one element select pods matching both (AND); separate
    // elements of `from` are alternatives (OR).
    NetworkPolicy and =
        Docs.single(
            HEAD
                + """
                spec:
                  podSelector: {matchLabels: {app: jobs-api}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {team: hiring}}
                      podSelector: {matchLabels: {app: tweet}}
                """,
            NetworkPolicy.class);
    NetworkPolicy or =
        Docs.single(
            HEAD
                + """
                spec:
                  podSelector: {matchLabels: {app: jobs-api}}
                  ingress:
                  - from:
                    - namespaceSelector: {matchLabels: {team: hiring}}
                    - podSelector: {matchLabels: {app: tweet}}
                """,
            NetworkPolicy.class);
    LabelSelector tweet = LabelSelector.matchLabels(Map.of("app", "tweet"));
    LabelSelector hiring = LabelSelector.matchLabels(Map.of("team", "hiring"));
    assertThat(and.ingress().get(0).peers())
        .containsExactly(new NetworkPolicyPeer.Pods(tweet, Optional.of(hiring)));
    assertThat(or.ingress().get(0).peers())
        .containsExactly(
            new NetworkPolicyPeer.Pods(LabelSelector.EVERYTHING, Optional.of(hiring)),
            new NetworkPolicyPeer.Pods(tweet, Optional.empty()));
  }

  @Test
  void ipBlockExceptPortsEndPortAndNamedPorts() {
    NetworkPolicy np =
        Docs.single(
            HEAD
                + """
                spec:
                  podSelector:
                    matchExpressions:
                    - {key: app, operator: In, values: [jobs-api, jobs-worker]}
                    - {key: canary, operator: DoesNotExist}
                  egress:
                  - to:
                    - ipBlock: {cidr: 10.0.0.0/8, except: [10.1.0.0/16]}
                    ports:
                    - {port: 32000, endPort: 32768}
                    - {protocol: UDP, port: dns}
                    - {protocol: SCTP}
                """,
            NetworkPolicy.class);
    assertThat(np.podSelector().matchExpressions())
        .containsExactly(
            new LabelRequirement("app", LabelRequirement.Operator.IN, List.of("jobs-api", "jobs-worker")),
            new LabelRequirement("canary", LabelRequirement.Operator.DOES_NOT_EXIST, List.of()));
    var rule = np.egress().get(0);
    assertThat(rule.peers())
        .containsExactly(
            new NetworkPolicyPeer.Addresses(
                new IpBlock(Cidr.parse("10.0.0.0/8"), List.of(Cidr.parse("10.1.0.0/16")))));
    assertThat(rule.ports())
        .containsExactly(
            new NetworkPolicyPort(Protocol.TCP, Optional.of(PortRef.of(32000)), Optional.of(32768)),
            new NetworkPolicyPort(Protocol.UDP, Optional.of(PortRef.of("dns")), Optional.empty()),
            new NetworkPolicyPort(Protocol.SCTP, Optional.empty(), Optional.empty()));
    assertThat(np.isolatesEgress()).isTrue();
  }

  static Stream<Arguments> invalidPolicies() {
    String at = "test.yaml[0]: NetworkPolicy jobs/np: ";
    return Stream.of(
        Arguments.of(
            "podSelector is required",
            "spec: {ingress: [{}]}",
            List.of(at + "spec.podSelector: required (use {} to select every pod in the namespace)")),
        Arguments.of(
            "ipBlock cannot share a peer with selectors",
            "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/8}, podSelector: {}}]}]}",
            List.of(
                at + "spec.ingress[0].from[0]: ipBlock cannot be combined with podSelector or namespaceSelector in one peer (write them as two entries)")),
        Arguments.of(
            "empty peer",
            "spec: {podSelector: {}, ingress: [{from: [{}]}]}",
            List.of(at + "spec.ingress[0].from[0]: a peer needs podSelector, namespaceSelector or ipBlock")),
        Arguments.of(
            "except outside cidr",
            "spec: {podSelector: {}, ingress: [{from: [{ipBlock: {cidr: 10.0.0.0/16, except: [10.2.0.0/24]}}]}]}",
            List.of(at + "spec.ingress[0].from[0].ipBlock.except[0]: \"10.2.0.0/24\" is not a strict subset of cidr 10.0.0.0/16")),
        Arguments.of(
            "bad cidr",
            "spec: {podSelector: {}, egress: [{to: [{ipBlock: {cidr: 10.0.0.0/40}}]}]}",
            List.of(
                at + "spec.egress[0].to[0].ipBlock.cidr: invalid CIDR \"10.0.0.0/40\": prefix length \"40\" (expected: 0..32)")),
        Arguments.of(
            "endPort below port",
            "spec: {podSelector: {}, ingress: [{ports: [{port: 90, endPort: 80}]}]}",
            List.of(at + "spec.ingress[0].ports[0].endPort: expected endPort >= port 90, got 80")),
        Arguments.of(
            "endPort with a named port",
            "spec: {podSelector: {}, ingress: [{ports: [{port: http, endPort: 80}]}]}",
            List.of(at + "spec.ingress[0].ports[0].endPort: cannot be used with the named port \"http\"")),
        Arguments.of(
            "invalid named port",
            "spec: {podSelector: {}, ingress: [{ports: [{port: Http_Port}]}]}",
            List.of(
                at + "spec.ingress[0].ports[0].port: invalid port name \"Http_Port\" (expected: 1-15 lower-case letters, digits and '-', with at least one letter)")),
        Arguments.of(
            "ANY is Cilium-only",
            "spec: {podSelector: {}, ingress: [{ports: [{protocol: ANY}]}]}",
            List.of(at + "spec.ingress[0].ports[0].protocol: unknown protocol \"ANY\" (expected: TCP, UDP or SCTP)")),
        Arguments.of(
            "unknown operator",
            "spec: {podSelector: {matchExpressions: [{key: a, operator: Equals, values: [b]}]}}",
            List.of(
                at + "spec.podSelector.matchExpressions[0].operator: unknown operator \"Equals\" (expected: In, NotIn, Exists or DoesNotExist)")),
        Arguments.of(
            "In needs values",
            "spec: {podSelector: {matchExpressions: [{key: a, operator: In}]}}",
            List.of(at + "spec.podSelector.matchExpressions[0].values: required: In needs at least one value")),
        Arguments.of(
            "Exists takes no values",
            "spec: {podSelector: {matchExpressions: [{key: a, operator: Exists, values: [b]}]}}",
            List.of(at + "spec.podSelector.matchExpressions[0].values: must be empty for Exists")),
        Arguments.of(
            "unknown policy type",
            "spec: {podSelector: {}, policyTypes: [ingress]}",
            List.of(at + "spec.policyTypes[0]: unknown policy type \"ingress\" (expected: Ingress or Egress)")),
        Arguments.of(
            "from is a list",
            "spec: {podSelector: {}, ingress: [{from: {podSelector: {}}}]}",
            List.of(at + "spec.ingress[0].from: expected a list, got an object")),
        Arguments.of(
            "several problems in one document are all reported",
            "spec: {podSelector: {}, ingress: [{ports: [{port: 0}]}], egress: [{tos: []}]}",
            List.of(
                at + "spec.ingress[0].ports[0].port: expected an integer 1..65535, got 0",
                at + "spec.egress[0].tos: unknown field (did you mean to?)")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void invalidPoliciesAreRefusedWithTheFieldPath(String rule, String spec, List<String> errors) {
    assertThat(Docs.errors(HEAD + spec)).containsExactlyElementsOf(errors);
  }
}
