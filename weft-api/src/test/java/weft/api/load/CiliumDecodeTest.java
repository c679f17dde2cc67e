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
import weft.api.CiliumNetworkPolicy;
import weft.api.cilium.CidrRule;
import weft.api.cilium.CiliumRule;
import weft.api.cilium.DefaultDeny;
import weft.api.cilium.EndpointSelector;
import weft.api.cilium.Entity;
import weft.api.cilium.HeaderMatch;
import weft.api.cilium.HttpHeader;
import weft.api.cilium.HttpRule;
import weft.api.cilium.KafkaApiKey;
import weft.api.cilium.KafkaRule;
import weft.api.cilium.L7Rules;
import weft.api.cilium.PortProtocol;
import weft.api.cilium.RuleSubject;
import weft.api.meta.Cidr;
import weft.api.meta.LabelRequirement;
import weft.api.meta.LabelSelector;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

class CiliumDecodeTest {
  private static final String CNP =
      "apiVersion: cilium.io/v2\nkind: CiliumNetworkPolicy\nmetadata: {name: p, namespace: jobs}\n";
  private static final String CCNP =
      "apiVersion: cilium.io/v2\nkind: CiliumClusterwideNetworkPolicy\nmetadata: {name: p}\n";

  private static CiliumRule rule(String yaml) {
    CiliumNetworkPolicy p = Docs.single(yaml, CiliumNetworkPolicy.class);
    assertThat(p.rules()).hasSize(1);
    return p.rules().get(0);
  }

  private static EndpointSelector selector(Map<String, String> labels) {
    return new EndpointSelector(LabelSelector.matchLabels(labels));
  }

  @Test
  void namespacedPolicySelectsOnlyItsNamespaceAndScopesPeersWithoutANamespace() {
    // Cilium "Namespaces": endpointSelector and fromEndpoints without a namespace label apply to
    // the policy's namespace; an explicit k8s:io.kubernetes.pod.namespace selects another one.
    CiliumRule r =
        rule(
            CNP
                + """
                spec:
                  endpointSelector: {matchLabels: {app: jobs-api}}
                  ingress:
                  - fromEndpoints:
                    - matchLabels: {app: tweet}
                    - matchLabels: {k8s:io.kubernetes.pod.namespace: web, k8s:app: ui}
                    - matchLabels: {reserved:host: ""}
                """);
    assertThat(r.subject())
        .isEqualTo(
            new RuleSubject.Endpoints(
                selector(Map.of("any:app", "jobs-api", "k8s:io.kubernetes.pod.namespace", "jobs"))));
    assertThat(r.ingress().get(0).endpoints())
        .containsExactly(
            selector(Map.of("any:app", "tweet", "k8s:io.kubernetes.pod.namespace", "jobs")),
            selector(Map.of("k8s:app", "ui", "k8s:io.kubernetes.pod.namespace", "web")),
            selector(Map.of("reserved:host", "")));
    assertThat(r.ingress().get(0).l3Wildcard()).isFalse();
  }

  @Test
  void clusterwidePeersWithoutANamespaceSelectOnlyPods() {
    CiliumRule r =
        rule(
            CCNP
                + """
                spec:
                  endpointSelector: {}
                  egress:
                  - toEndpoints: [{}]
                """);
    assertThat(r.subject().selector()).isEqualTo(new EndpointSelector(LabelSelector.EVERYTHING));
    assertThat(r.egress().get(0).endpoints())
        .containsExactly(
            new EndpointSelector(
                new LabelSelector(
                    Map.of(),
                    List.of(
                        new LabelRequirement(
                            "k8s:io.kubernetes.pod.namespace", LabelRequirement.Operator.EXISTS, List.of())))));
  }

  @Test
  void l7HttpRulesKeepSourceAndAnchoredRegex() {
    CiliumRule r =
        rule(
            CNP
                + """
                spec:
                  endpointSelector: {matchLabels: {app: jobs-api}}
                  ingress:
                  - fromEndpoints: [{matchLabels: {app: tweet}}]
                    toPorts:
                    - ports: [{port: "80", protocol: TCP}, {port: http, protocol: TCP}]
                      rules:
                        http:
                        - method: GET
                          path: "/jobs/[0-9]+"
                          host: "jobs\\\\.example\\\\.com"
                          headers: ["X-Token: abc", "X-Present"]
                          headerMatches:
                          - {name: X-Tenant, value: acme, mismatch: LOG}
                """);
    var portRule = r.ingress().get(0).toPorts().get(0);
    assertThat(portRule.ports())
        .containsExactly(
            new PortProtocol(PortRef.of(80), Optional.empty(), Protocol.TCP),
            new PortProtocol(PortRef.of("http"), Optional.empty(), Protocol.TCP));
    HttpRule http = ((L7Rules.Http) portRule.rules().orElseThrow()).rules().get(0);
    assertThat(http.path().orElseThrow().source()).isEqualTo("/jobs/[0-9]+");
    assertThat(http.path().orElseThrow().matches("/jobs/331")).isTrue();
    assertThat(http.path().orElseThrow().matches("/jobs/331/delete")).isFalse();
    assertThat(http.method().orElseThrow().matches("GET")).isTrue();
    assertThat(http.host().orElseThrow().matches("jobs.example.com")).isTrue();
    assertThat(http.headers())
        .containsExactly(new HttpHeader("X-Token", Optional.of("abc")), new HttpHeader("X-Present", Optional.empty()));
    assertThat(http.headerMatches())
        .containsExactly(new HeaderMatch("X-Tenant", Optional.of("acme"), Optional.of(HeaderMatch.MismatchAction.LOG)));
  }

  @Test
  void kafkaRulesCidrsEntitiesDenyAndSpecsList() {
    CiliumNetworkPolicy p =
        Docs.single(
            CNP
                + """
                specs:
                - endpointSelector: {matchLabels: {app: kafka}}
                  ingress:
                  - fromEndpoints: [{matchLabels: {app: jobs}}]
                    toPorts:
                    - ports: [{port: "9092", protocol: TCP}]
                      rules:
                        kafka:
                        - {role: produce, topic: jobs}
                        - {apiKey: Fetch, apiVersion: "11", clientID: c1}
                - endpointSelector: {matchLabels: {app: kafka}}
                  enableDefaultDeny: {egress: false}
                  egress:
                  - toCIDRSet: [{cidr: 10.0.0.0/8, except: [10.96.0.0/12]}]
                  - toCIDR: [8.8.8.8]
                  - toEntities: [world, kube-apiserver]
                    toPorts: [{ports: [{port: "443", endPort: 444}]}]
                  egressDeny:
                  - toCIDR: [169.254.169.254/32]
                """,
            CiliumNetworkPolicy.class);
    assertThat(p.rules()).hasSize(2);
    assertThat(p.spec()).isEmpty();
    assertThat(p.rulePath(1)).isEqualTo("specs[1]");
    var kafka = (L7Rules.Kafka) p.rules().get(0).ingress().get(0).toPorts().get(0).rules().orElseThrow();
    assertThat(kafka.rules())
        .containsExactly(
            new KafkaRule(Optional.of(KafkaRule.Role.PRODUCE), Optional.empty(), Optional.empty(), Optional.empty(), Optional.of("jobs")),
            new KafkaRule(Optional.empty(), Optional.of(KafkaApiKey.FETCH), Optional.of(11), Optional.of("c1"), Optional.empty()));
    assertThat(kafka.rules().get(0).apiKeys()).contains(KafkaApiKey.PRODUCE, KafkaApiKey.METADATA);
    CiliumRule egress = p.rules().get(1);
    assertThat(egress.enableDefaultDeny()).isEqualTo(new DefaultDeny(Optional.empty(), Optional.of(false)));
    assertThat(egress.egress().get(0).cidrs())
        .containsExactly(new CidrRule(Cidr.parse("10.0.0.0/8"), List.of(Cidr.parse("10.96.0.0/12"))));
    assertThat(egress.egress().get(1).cidrs()).containsExactly(new CidrRule(Cidr.parse("8.8.8.8/32"), List.of()));
    assertThat(egress.egress().get(2).entities()).isEqualTo(Set.of(Entity.WORLD, Entity.KUBE_APISERVER));
    assertThat(egress.egress().get(2).toPorts().get(0).ports())
        .containsExactly(new PortProtocol(PortRef.of(443), Optional.of(444), Protocol.ANY));
    assertThat(egress.egressDeny().get(0).cidrs()).containsExactly(new CidrRule(Cidr.parse("169.254.169.254/32"), List.of()));
  }

  @Test
  void specComesBeforeSpecsAndRulePathsSayWhichIsWhich() {
    CiliumNetworkPolicy p =
        Docs.single(
            CNP + "spec: {endpointSelector: {matchLabels: {a: b}}}\nspecs: [{endpointSelector: {}}]\n",
            CiliumNetworkPolicy.class);
    assertThat(p.rules()).hasSize(2);
    assertThat(p.rules().get(0)).isEqualTo(p.spec().orElseThrow());
    assertThat(p.rulePath(0)).isEqualTo("spec");
    assertThat(p.rulePath(1)).isEqualTo("specs[0]");
  }

  @Test
  void nodeSelectorInAClusterwidePolicyIsNotNamespaced() {
    CiliumRule r =
        rule(CCNP + "spec: {nodeSelector: {matchLabels: {role: worker}}, ingress: [{fromEntities: [cluster]}]}");
    assertThat(r.subject()).isEqualTo(new RuleSubject.Nodes(selector(Map.of("any:role", "worker"))));
  }

  static Stream<Arguments> invalidPolicies() {
    String at = "test.yaml[0]: CiliumNetworkPolicy jobs/p: ";
    String sel = "spec: {endpointSelector: {}, ";
    return Stream.of(
        Arguments.of(
            "invalid L7 regex",
            "spec: {endpointSelector: {}, ingress: [{toPorts: [{ports: [{port: \"80\", protocol: TCP}], rules: {http: [{path: /a}, {path: \"(\"}]}}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].rules.http[1].path: invalid regex \"(\": missing closing )")),
        Arguments.of(
            "unknown entity",
            sel + "ingress: [{fromEntities: [internet]}]}",
            List.of(
                at + "spec.ingress[0].fromEntities[0]: unknown entity \"internet\" (expected: world, cluster, host, remote-node, init, health, unmanaged, kube-apiserver or all)")),
        Arguments.of(
            "icmps are not supported",
            sel + "ingress: [{icmps: [{fields: [{type: 8}]}]}]}",
            List.of(at + "spec.ingress[0].icmps: field is not supported by weft")),
        Arguments.of(
            "toFQDNs are not supported",
            sel + "egress: [{toFQDNs: [{matchName: example.com}]}]}",
            List.of(at + "spec.egress[0].toFQDNs: field is not supported by weft")),
        Arguments.of(
            "one kind of L3 peer per rule",
            sel + "ingress: [{fromEndpoints: [{}], fromCIDR: [10.0.0.0/8]}]}",
            List.of(
                at + "spec.ingress[0]: combining fromEndpoints and fromCIDR in one rule is not supported by Cilium (write two rules)")),
        Arguments.of(
            "nodeSelector only clusterwide",
            "spec: {nodeSelector: {}}",
            List.of(at + "spec.nodeSelector: is only allowed in CiliumClusterwideNetworkPolicy")),
        Arguments.of(
            "a subject is required",
            "spec: {ingress: [{}]}",
            List.of(at + "spec: needs exactly one of endpointSelector and nodeSelector")),
        Arguments.of(
            "spec or specs",
            "",
            List.of(at + "needs spec or specs")),
        Arguments.of(
            "role and apiKey exclude each other",
            sel + "ingress: [{toPorts: [{ports: [{port: \"9092\", protocol: TCP}], rules: {kafka: [{role: produce, apiKey: fetch}]}}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].rules.kafka[0]: role and apiKey are mutually exclusive")),
        Arguments.of(
            "unknown kafka api key",
            sel + "ingress: [{toPorts: [{ports: [{port: \"9092\", protocol: TCP}], rules: {kafka: [{apiKey: publish}]}}]}]}",
            List.of(
                at + "spec.ingress[0].toPorts[0].rules.kafka[0].apiKey: unknown Kafka API key \"publish\" (expected: a name such as produce, fetch, metadata)")),
        Arguments.of(
            "L7 rules only over TCP",
            sel + "ingress: [{toPorts: [{ports: [{port: \"53\", protocol: UDP}], rules: {http: [{}]}}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].ports[0].protocol: L7 rules need protocol TCP, got UDP")),
        Arguments.of(
            "L7 rules with the default protocol ANY",
            sel + "ingress: [{toPorts: [{ports: [{port: \"80\"}], rules: {http: [{}]}}]}]}",
            List.of(
                at + "spec.ingress[0].toPorts[0].ports[0].protocol: L7 rules need protocol TCP, got ANY (the default when protocol is omitted)")),
        Arguments.of(
            "L7 rules on port 0",
            sel + "ingress: [{toPorts: [{ports: [{port: \"0\", protocol: TCP}], rules: {http: [{}]}}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].ports[0].port: L7 rules can not be used when a port is 0")),
        Arguments.of(
            "L7 rules need ports",
            sel + "ingress: [{toPorts: [{rules: {http: [{}]}}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].ports: required with L7 rules (they apply to the listed TCP ports)")),
        Arguments.of(
            "CIDR sets need a prefix length",
            sel + "egress: [{toCIDRSet: [{cidr: 10.0.0.1}]}]}",
            List.of(at + "spec.egress[0].toCIDRSet[0].cidr: invalid CIDR \"10.0.0.1\" (expected: address/prefix-length)")),
        Arguments.of(
            "deny rules carry no L7 rules",
            sel + "ingressDeny: [{toPorts: [{ports: [{port: \"80\"}], rules: {http: [{}]}}]}]}",
            List.of(at + "spec.ingressDeny[0].toPorts[0].rules: L7 rules are not allowed in deny rules")),
        Arguments.of(
            "unknown label source",
            "spec: {endpointSelector: {matchLabels: {pod:app: x}}}",
            List.of(
                at + "spec.endpointSelector.matchLabels[\"pod:app\"]: unknown label source \"pod\" (expected: k8s, any, reserved, unspec, container or cidr)")),
        Arguments.of(
            "endpointSelector cannot leave the namespace",
            "spec: {endpointSelector: {matchLabels: {k8s:io.kubernetes.pod.namespace: other}}}",
            List.of(
                at + "spec.endpointSelector: selects namespace \"other\" but a CiliumNetworkPolicy applies only in its own namespace \"jobs\"")),
        Arguments.of(
            "port out of range",
            sel + "ingress: [{toPorts: [{ports: [{port: \"70000\"}]}]}]}",
            List.of(at + "spec.ingress[0].toPorts[0].ports[0].port: expected a port number 0..65535, got \"70000\"")),
        Arguments.of(
            "except outside the CIDR",
            sel + "egress: [{toCIDRSet: [{cidr: 10.0.0.0/8, except: [192.168.0.0/16]}]}]}",
            List.of(at + "spec.egress[0].toCIDRSet[0].except[0]: \"192.168.0.0/16\" is not inside cidr 10.0.0.0/8")),
        Arguments.of(
            "enableDefaultDeny takes booleans",
            sel + "enableDefaultDeny: {ingress: \"no\"}}",
            List.of(at + "spec.enableDefaultDeny.ingress: expected true or false, got \"no\"")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidPolicies")
  void invalidPoliciesAreRefusedWithTheFieldPath(String rule, String spec, List<String> errors) {
    assertThat(Docs.errors(CNP + spec)).containsExactlyElementsOf(errors);
  }
}
