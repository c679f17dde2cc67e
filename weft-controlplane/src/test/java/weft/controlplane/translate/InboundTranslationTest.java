package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.controlplane.xds.ProxySnapshot;

class InboundTranslationTest {
  private static String pa(String ns, String name, String selector, String mode, String portLevel) {
    return "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: " + name + ", namespace: " + ns + "}\nspec: {"
        + (selector.isEmpty() ? "" : "selector: {matchLabels: {" + selector + "}}, ")
        + (mode.isEmpty() ? "" : "mtls: {mode: " + mode + "}")
        + (portLevel.isEmpty() ? "" : ", portLevelMtls: {" + portLevel + "}") + "}";
  }

  /** What kind of inbound TLS a listener does. */
  private static String shape(Listener l) throws Exception {
    if (l.getListenerFiltersCount() == 1 && l.getFilterChainsCount() == 2) {
      assertThat(l.getListenerFilters(0).getName()).isEqualTo("envoy.filters.listener.tls_inspector");
      assertThat(l.getFilterChains(0).getFilterChainMatch().getTransportProtocol()).isEqualTo("tls");
      assertThat(l.getFilterChains(1).getFilterChainMatch().getTransportProtocol()).isEqualTo("raw_buffer");
      assertThat(l.getFilterChains(1).hasTransportSocket()).isFalse();
      assertMutual(l.getFilterChains(0));
      return "PERMISSIVE";
    }
    assertThat(l.getFilterChainsCount()).isEqualTo(1);
    if (!l.getFilterChains(0).hasTransportSocket()) {
      return "DISABLE";
    }
    assertMutual(l.getFilterChains(0));
    return "STRICT";
  }

  private static void assertMutual(FilterChain c) throws Exception {
    DownstreamTlsContext tls = c.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
    assertThat(tls.getRequireClientCertificate().getValue()).isTrue();
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
    assertThat(tls.getCommonTlsContext().getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # Istio PeerAuthentication: workload selector > namespace > root namespace; UNSET inherits; default PERMISSIVE
      no policy is PERMISSIVE                 | ''                                                   | PERMISSIVE | PERMISSIVE
      mesh-wide STRICT                        | istio-system,mesh,,STRICT,                            | STRICT     | STRICT
      namespace overrides mesh                | istio-system,mesh,,STRICT,;jobs,ns,,DISABLE,          | DISABLE    | DISABLE
      workload selector overrides namespace   | jobs,ns,,DISABLE,;jobs,w,version: v1,STRICT,          | STRICT     | STRICT
      UNSET workload inherits namespace       | jobs,ns,,STRICT,;jobs,w,version: v1,UNSET,            | STRICT     | STRICT
      port-level overrides its port only      | jobs,w,version: v1,STRICT,8080: {mode: DISABLE}       | DISABLE    | STRICT
      other namespaces do not apply           | social,ns,,DISABLE,                                   | PERMISSIVE | PERMISSIVE
      """)
  void peerAuthenticationPrecedence(String rule, String policies, String http8080, String tcp5432) throws Exception {
    List<String> docs = new java.util.ArrayList<>(List.of(Mesh.BASE));
    for (String p : policies.isEmpty() ? new String[0] : policies.split(";")) {
      String[] f = p.split(",", -1);
      docs.add(pa(f[0], f[1], f[2], f[3], f[4]));
    }
    ProxySnapshot s = Mesh.translate(docs.toArray(String[]::new)).snapshots().get("jobs/jobs-v1");
    assertThat(shape(Mesh.listener(s, "inbound_127.0.0.6_8080"))).isEqualTo(http8080);
    assertThat(shape(Mesh.listener(s, "inbound_127.0.0.6_5432"))).isEqualTo(tcp5432);
  }

  @Test
  void inboundListenersForwardToTheAppAtPortPlusOffsetWithRbacFromThePolicyEngine() throws Exception {
    String deny = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny-post, namespace: jobs}
        spec: {action: DENY, rules: [{to: [{operation: {methods: [POST]}}]}]}
        """;
    Translator.Translation t = Mesh.translate(Mesh.BASE, deny);
    assertThat(t.problems()).isEmpty();
    ProxySnapshot v2 = t.snapshots().get("jobs/jobs-v2");
    Listener http = Mesh.listener(v2, "inbound_127.0.0.7_8080");
    assertThat(http.getAddress().getSocketAddress().getAddress()).isEqualTo("127.0.0.7");
    var filters = http.getFilterChains(0).getFiltersList();
    assertThat(filters.get(filters.size() - 1).getName()).isEqualTo("envoy.filters.network.http_connection_manager");
    HttpConnectionManager hcm = filters.get(filters.size() - 1).getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName())
        .containsExactly("envoy.filters.http.rbac", "envoy.filters.http.router");
    assertThat(hcm.getRouteConfig().getVirtualHosts(0).getRoutes(0).getRoute().getCluster()).isEqualTo("inbound|8080||");
    var app = Mesh.cluster(v2, "inbound|8080||");
    assertThat(app.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress())
        .satisfies(a -> {
          assertThat(a.getAddress()).isEqualTo("127.0.0.1");
          assertThat(a.getPortValue()).isEqualTo(9080); // portOffset 1000
        });
    assertThat(Mesh.cluster(t.snapshots().get("jobs/jobs-v1"), "inbound|8080||").getLoadAssignment()
        .getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue()).isEqualTo(18080);
    // a TCP port (Istio name prefix tcp-) gets tcp_proxy, not HCM
    var tcp = Mesh.listener(t.snapshots().get("jobs/jobs-v1"), "inbound_127.0.0.6_5432").getFilterChains(0).getFiltersList();
    assertThat(tcp.get(tcp.size() - 1).getTypedConfig().unpack(TcpProxy.class).getCluster()).isEqualTo("inbound|5432||");
  }

  @Test
  void rootCaSecretCarriesTheBundleAndNodesAreNamespaceSlashName() throws Exception {
    Translator.Translation t = Mesh.translate(Mesh.BASE);
    assertThat(t.snapshots().keySet()).containsExactly("jobs/jobs-v1", "jobs/jobs-v2", "social/tweet-1");
    Secret root = t.snapshots().get("social/tweet-1").secrets().get(0);
    assertThat(root.getName()).isEqualTo("ROOTCA");
    assertThat(root.getValidationContext().getTrustedCa().getInlineString()).isEqualTo(Mesh.OPTIONS.caBundlePem());
  }

  @Test
  void anUntranslatablePolicyDeniesInboundAndIsReported() throws Exception {
    // Cilium: fromRequires alone grants nothing; weft-policy reports it instead of guessing
    String requiresOnly = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata: {name: req, namespace: jobs}
        spec:
          endpointSelector: {matchLabels: {app: jobs}}
          ingress: [{fromRequires: [{matchLabels: {env: prod}}]}]
        """;
    Translator.Translation t = Mesh.translate(Mesh.BASE, requiresOnly);
    assertThat(t.problems()).singleElement().asString()
        .startsWith("policy: ").endsWith("(inbound traffic is denied until it is fixed)");
    var chain = Mesh.listener(t.snapshots().get("social/tweet-1"), "inbound_127.0.0.5_80").getFilterChains(0);
    var rbac = chain.getFilters(0).getTypedConfig()
        .unpack(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.class);
    assertThat(rbac.getRules().getAction()).isEqualTo(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.ALLOW);
    assertThat(rbac.getRules().getPoliciesMap()).isEmpty(); // ALLOW with no policy: denies everything
  }
}
