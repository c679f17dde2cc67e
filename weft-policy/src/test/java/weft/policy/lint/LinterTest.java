package weft.policy.lint;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import weft.policy.translate.Scenario;

class LinterTest {

  static List<String> lint(String policies) {
    return Linter.lint(Scenario.engine(policies)).stream().map(Finding::toString).toList();
  }

  @Test
  void anL7RuleOnAPortThatNetworkPolicyClosesIsDead() {
    List<String> findings = lint("""
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: only-8080, namespace: default}
        spec:
          podSelector: {matchLabels: {app: jobs-api}}
          ingress:
          - ports: [{port: 8080}]
        ---
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: l7, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
            toPorts:
            - ports: [{port: "80", protocol: TCP}]
              rules: {http: [{method: GET}]}
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
        "error dead-l7-rule: CiliumNetworkPolicy default/l7 spec.ingress[0].toPorts[0]: L3/L4 policy never lets these peers reach port 80 of default/jobs-api")
        .endsWith("example: default/tweet -> default/jobs-api TCP/80"));
  }

  @Test
  void anAllowEveryFlowOfWhichIsDeniedIsShadowed() {
    List<String> findings = lint("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: shadow, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
            toPorts: [{ports: [{port: "80", protocol: TCP}]}]
          - fromEndpoints: [{matchLabels: {app: recruiter}}]
          ingressDeny:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
        "error allow-shadowed-by-deny: CiliumNetworkPolicy default/shadow spec.ingress[0].toPorts[0]: every peer and port"));
    assertThat(findings).noneSatisfy(f -> assertThat(f).contains("spec.ingress[1]"));
  }

  @Test
  void selectorsThatMatchNoWorkloadAreReported() {
    List<String> findings = lint("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: typo, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-apl}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: typo, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs}}
          rules: [{}]
        """);
    assertThat(findings).contains(
        "warning selector-matches-nothing: CiliumNetworkPolicy default/typo spec.endpointSelector: selects no workload, so the policy has no effect",
        "warning selector-matches-nothing: AuthorizationPolicy default/typo spec.selector: selects no workload, so the policy has no effect");
  }

  @Test
  void dialectsThatDisagreeOnAFlowAreReportedWithTheFlow() {
    List<String> findings = lint("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: tweet-in, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: recruiter-in, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs-api}}
          rules:
          - from: [{source: {principals: [cluster.local/ns/default/sa/recruiter]}}]
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f)
        .startsWith("warning dialects-disagree: default/jobs-api port 80: cilium allows (CiliumNetworkPolicy default/tweet-in spec.ingress[0]); istio denies (AuthorizationPolicy default/recruiter-in)")
        .endsWith("example: default/tweet -> default/jobs-api TCP/80"));
  }

  @Test
  void aDenyOnlyCiliumPolicyIsAnErrorAndAnExplicitDenyAllAWarning() {
    List<String> findings = lint("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: deny-spy, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-api}}
          ingressDeny:
          - fromEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: other}}]
        ---
        apiVersion: networking.k8s.io/v1
        kind: NetworkPolicy
        metadata: {name: deny-all, namespace: other}
        spec:
          podSelector: {}
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
        "error default-deny-allows-nothing: CiliumNetworkPolicy default/deny-spy: has only deny rules, yet puts default/jobs-api into default deny for ingress"));
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
        "warning default-deny-allows-nothing: NetworkPolicy other/deny-all: puts other/spy into default deny for ingress"));
  }

  @Test
  void anAuthorizationPolicyAllowingWhatACiliumL7RuleDeniesIsReportedWithTheRequest() {
    List<String> findings = lint("""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: l7, namespace: default}
        spec:
          endpointSelector: {matchLabels: {app: jobs-api}}
          ingress:
          - fromEndpoints: [{matchLabels: {app: tweet}}]
            toPorts:
            - ports: [{port: "80", protocol: TCP}]
              rules: {http: [{method: GET, path: "/jobs/[0-9]+"}]}
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: jobs, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs-api}}
          rules:
          - to: [{operation: {methods: [GET], paths: ["/jobs/*"]}}]
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f)
        .startsWith("warning dialects-disagree: default/jobs-api port 80: cilium denies (CiliumNetworkPolicy default/l7 spec.ingress[0].toPorts[0]); istio allows (AuthorizationPolicy default/jobs spec.rules[0])")
        .endsWith("example: default/tweet -> default/jobs-api TCP/80 GET /jobs/1/x"));
  }

  @Test
  void anIstioAllowRuleThatADenyPolicyCoversIsShadowed() {
    List<String> findings = lint("""
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: allow, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs-api}}
          rules:
          - from: [{source: {namespaces: [other]}}]
          - from: [{source: {principals: [cluster.local/ns/default/sa/tweet]}}]
        ---
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-other, namespace: default}
        spec:
          selector: {matchLabels: {app: jobs-api}}
          action: DENY
          rules:
          - from: [{source: {namespaces: [other]}}]
        """);
    assertThat(findings).anySatisfy(f -> assertThat(f).startsWith(
        "error allow-shadowed-by-deny: AuthorizationPolicy default/allow spec.rules[0]: every sampled request"));
    assertThat(findings).noneSatisfy(f -> assertThat(f).contains("default/allow spec.rules[1]"));
  }
}
