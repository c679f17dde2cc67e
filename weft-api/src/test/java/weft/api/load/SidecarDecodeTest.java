package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import weft.api.Sidecar;
import weft.api.istio.EgressHost;

/** Istio's Sidecar reference (istio.io/latest/docs/reference/config/networking/sidecar/), the part weft reads. */
class SidecarDecodeTest {
  private static final String SC =
      "apiVersion: networking.istio.io/v1\nkind: Sidecar\nmetadata: {name: sc, namespace: prod}\n";

  @Test
  void selectorAndEveryHostForm() {
    Sidecar sc = Docs.single(SC + """
        spec:
          workloadSelector: {labels: {app: ratings}}
          egress:
          - hosts: ["./*", "istio-system/*", "*/reviews.prod.svc.cluster.local", "prod-apis/*.example.com", "~/*"]
          outboundTrafficPolicy: {mode: REGISTRY_ONLY}
        """, Sidecar.class);
    assertThat(sc.workloadSelector()).isEqualTo(Map.of("app", "ratings"));
    assertThat(sc.egressHosts()).containsExactly(new EgressHost(".", "*"), new EgressHost("istio-system", "*"),
        new EgressHost("*", "reviews.prod.svc.cluster.local"), new EgressHost("prod-apis", "*.example.com"),
        new EgressHost("~", "*"));
  }

  @Test
  void withoutEgressEveryServiceIsImportedAsWithoutASidecar() {
    Sidecar sc = Docs.single(SC + "spec: {}\n", Sidecar.class);
    assertThat(sc.workloadSelector()).isEmpty();
    assertThat(sc.egressHosts()).containsExactly(new EgressHost("*", "*"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # IstioEgressListener.hosts: "namespace/dnsName", required
      host without namespace     | {egress: [{hosts: [reviews.prod.svc.cluster.local]}]}  | spec.egress[0].hosts[0]: expected namespace/dnsName (e.g. ./*, istio-system/*, prod/reviews.prod.svc.cluster.local), got "reviews.prod.svc.cluster.local"
      two slashes                | {egress: [{hosts: [a/b/c]}]}                          | spec.egress[0].hosts[0]: expected namespace/dnsName (e.g. ./*, istio-system/*, prod/reviews.prod.svc.cluster.local), got "a/b/c"
      bad namespace              | {egress: [{hosts: [Prod/*]}]}                         | spec.egress[0].hosts[0]: namespace of "Prod/*": invalid name "Prod" (expected: at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit); or ., * or ~
      wildcard not left-most     | {egress: [{hosts: [./a.*.com]}]}                      | spec.egress[0].hosts[0]: dnsName of "./a.*.com": expected *, a host name, or one left-most wildcard (*.example.com)
      no hosts                   | {egress: [{}]}                                        | spec.egress[0].hosts: required: at least one namespace/dnsName
      # per-port egress listeners, ingress listeners and capture modes are not implemented
      egress port                | {egress: [{port: {number: 80, protocol: HTTP, name: http}, hosts: [./*]}]} | spec.egress[0].port: field is not supported by weft
      second egress listener     | {egress: [{hosts: [./*]}, {hosts: [a/*]}]}            | spec.egress[1]: weft supports one egress listener (per-port egress listeners are not supported); put every host in egress[0].hosts
      ingress                    | {ingress: []}                                         | spec.ingress: field is not supported by weft
      bind                       | {egress: [{bind: 127.0.0.1, hosts: [./*]}]}            | spec.egress[0].bind: field is not supported by weft
      # weft's proxies route only to registry services (REGISTRY_ONLY)
      allow any                  | {outboundTrafficPolicy: {mode: ALLOW_ANY}}            | spec.outboundTrafficPolicy.mode: ALLOW_ANY is not supported by weft (its proxies have no passthrough to hosts outside the registry; expected: REGISTRY_ONLY)
      egress proxy               | {outboundTrafficPolicy: {mode: REGISTRY_ONLY, egressProxy: {host: x}}} | spec.outboundTrafficPolicy.egressProxy: field is not supported by weft
      empty selector             | {workloadSelector: {labels: {}}}                      | spec.workloadSelector.labels: required: at least one label (omit workloadSelector for the namespace-wide default)
      misspelt field             | {egres: []}                                           | spec.egres: unknown field (did you mean egress?)
      """)
  void refusals(String rule, String spec, String error) {
    assertThat(Docs.errors(SC + "spec: " + spec)).containsExactly("test.yaml[0]: Sidecar prod/sc: " + error);
  }

  @Test
  void egressHostMatching() {
    // namespace part: a name, "." (the proxy's namespace), "*" (any), "~" (none)
    assertThat(new EgressHost(".", "*").matches("prod", "prod", "a.prod.svc.cluster.local")).isTrue();
    assertThat(new EgressHost(".", "*").matches("prod", "other", "a.other.svc.cluster.local")).isFalse();
    assertThat(new EgressHost("*", "a.other.svc.cluster.local").matches("prod", "other", "a.other.svc.cluster.local")).isTrue();
    assertThat(new EgressHost("other", "*").matches("prod", "other", "b.other.svc.cluster.local")).isTrue();
    assertThat(new EgressHost("~", "*").matches("prod", "prod", "a.prod.svc.cluster.local")).isFalse();
    assertThat(new EgressHost("*", "*.example.com").matches("prod", "x", "api.example.com")).isTrue();
    assertThat(new EgressHost("*", "*.example.com").matches("prod", "x", "example.com")).isFalse();
    assertThat(List.of(new EgressHost("*", "*"))).allMatch(h -> h.matches("a", "b", "c"));
  }
}
