package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import weft.proxy.config.ConfigProblems;

/** How the state of the world becomes a static bootstrap (EDS, RDS and SDS inlined; warming). */
class SnapshotAssemblerTest {
  private static final Node NODE = AdsClient.node("shop/web");

  private static SnapshotAssembler.Result assemble(XdsResources r, ConfigProblems problems) {
    return SnapshotAssembler.assemble(r, Map.of(), NODE, problems);
  }

  @Test
  void anEdsClusterBecomesStaticWithItsAssignmentAndWarmsUntilItArrives() throws Exception {
    XdsResources r = XdsResources.empty().withClusters(Map.of("a", TestAds.edsCluster("a")));
    ConfigProblems problems = new ConfigProblems();
    var warming = assemble(r, problems);
    assertThat(warming.warming()).containsExactly("eds a");
    assertThat(warming.edsNames()).containsExactly("a");

    var ready = assemble(r.withEndpoints(Map.of("a", TestAds.endpoints("a", 8080))), problems);
    assertThat(ready.warming()).isEmpty();
    Cluster c = ready.bootstrap().getStaticResources().getClusters(0);
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(c.hasEdsClusterConfig()).isFalse();
    assertThat(c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress()
        .getSocketAddress().getPortValue()).isEqualTo(8080);
    assertThat(problems.isEmpty()).isTrue();
    // identity only: the bootstrap compiler does not read the user agent
    assertThat(ready.bootstrap().getNode().getUserAgentName()).isEmpty();
    assertThat(ready.bootstrap().getNode().getId()).isEqualTo("shop/web");
  }

  @Test
  void rdsIsInlinedWithoutClusterValidationAsEnvoyDoesForRdsRoutes() throws Exception {
    XdsResources r = XdsResources.empty()
        .withListeners(Map.of("http", TestAds.httpListener("http", 0, "local")));
    var warming = assemble(r, new ConfigProblems());
    assertThat(warming.warming()).containsExactly("rds local");
    assertThat(warming.routeNames()).containsExactly("local");

    var ready = assemble(r.withRoutes(Map.of("local", TestAds.routeTo("local", "nowhere"))),
        new ConfigProblems());
    Listener l = ready.bootstrap().getStaticResources().getListeners(0);
    HttpConnectionManager hcm = l.getFilterChains(0).getFilters(0).getTypedConfig()
        .unpack(HttpConnectionManager.class);
    assertThat(hcm.hasRds()).isFalse();
    assertThat(hcm.getRouteConfig().getName()).isEqualTo("local");
    assertThat(hcm.getRouteConfig().getValidateClusters().getValue()).isFalse();
  }

  @Test
  void onlyAdsConfigSourcesAreSupportedAndTheProblemNamesTheResource() {
    Cluster c = TestAds.parse("""
        name: a
        type: EDS
        eds_cluster_config: {eds_config: {path_config_source: {path: /tmp/eds.yaml}}}
        """, Cluster.newBuilder());
    ConfigProblems problems = new ConfigProblems();
    assemble(XdsResources.empty().withClusters(Map.of("a", c)), problems);
    assertThat(problems.list()).extracting(Object::toString).containsExactly(
        "clusters[\"a\"].eds_cluster_config.eds_config: only an ads config source is supported");
  }

  @Test
  void theDefaultSecretIsNeverAskedOfTheServer() {
    Listener l = TestAds.parse("""
        name: tls
        address: {socket_address: {address: 127.0.0.1, port_value: 0}}
        filter_chains:
        - transport_socket:
            name: envoy.transport_sockets.tls
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
              common_tls_context:
                tls_certificate_sds_secret_configs: [{name: default, sds_config: {ads: {}}}]
                validation_context_sds_secret_config: {name: ROOTCA, sds_config: {ads: {}}}
          filters: []
        """, Listener.newBuilder());
    var a = assemble(XdsResources.empty().withListeners(Map.of("tls", l)), new ConfigProblems());
    assertThat(a.secretNames()).containsExactly("ROOTCA");
    assertThat(a.warming()).containsExactlyInAnyOrder("local secret default", "sds ROOTCA");
    assertThat(a.warmingPaths()).containsExactly("listeners[\"tls\"].filter_chains[0].transport_socket");
    assertThat(List.copyOf(a.edsNames())).isEmpty();
  }
}
