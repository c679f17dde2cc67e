package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * Envoy's bootstrap route to xDS: {@code dynamic_resources.ads_config} (Envoy docs, "xDS
 * configuration API overview": api_type GRPC or DELTA_GRPC, grpc_services with envoy_grpc naming a
 * static cluster; cds_config/lds_config {ads: {}}).
 */
class XdsBootstrapTest {
  static String bootstrap(String apiType, String ldsConfig, String clusterExtra, int port) {
    return """
        node: {id: shop/web, cluster: shop}
        dynamic_resources:
          ads_config:
            api_type: %s
            transport_api_version: V3
            grpc_services: [{envoy_grpc: {cluster_name: xds}}]
          cds_config: {ads: {}, resource_api_version: V3}
          lds_config: %s
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            connect_timeout: 1s
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
            load_assignment:
              cluster_name: xds
              endpoints:
              - lb_endpoints:
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}
        %s
        """.formatted(apiType, ldsConfig, port, clusterExtra);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "api_type GRPC is state of the world      | GRPC       | {ads: {}} | '' | SOTW | ''",
      "api_type DELTA_GRPC is incremental       | DELTA_GRPC | {ads: {}} | '' | DELTA | ''",
      "api_type REST is refused                 | REST       | {ads: {}} | '' | '' | dynamic_resources.ads_config.api_type: REST (expected: GRPC or DELTA_GRPC)",
      "lds_config must be ADS                   | GRPC       | {path_config_source: {path: /x}} | '' | '' | dynamic_resources.lds_config",
      "a TLS xds cluster is refused by its path | GRPC       | {ads: {}} | '    transport_socket: {name: envoy.transport_sockets.tls}' | '' | static_resources.clusters[0].transport_socket",
  })
  void adsConfigSelectsTheProtocolOrNamesTheProblem(String rule, String apiType, String lds,
      String extra, String protocol, String problem) {
    Bootstrap b = TestAds.parse(bootstrap(apiType, lds, extra, 18000), Bootstrap.newBuilder());
    ConfigProblems problems = new ConfigProblems();
    XdsBootstrap x = XdsBootstrap.compile(b, ConfigPath.root(), problems);
    if (problem.isEmpty()) {
      assertThat(problems.list()).isEmpty();
      assertThat(x).isEqualTo(new XdsBootstrap("shop/web",
          InetSocketAddress.createUnresolved("127.0.0.1", 18000), AdsClient.Protocol.valueOf(protocol)));
    } else {
      assertThat(x).isNull();
      assertThat(problems.list()).anySatisfy(p -> assertThat(p.toString()).startsWith(problem));
    }
  }

  @Test
  @Timeout(60)
  void aDeltaGrpcBootstrapFileServesTrafficFromTheAdsServer(@TempDir Path dir) throws Exception {
    try (TestAds cp = new TestAds(0); HttpPeers.Backend a = new HttpPeers.Backend("a")) {
      cp.set("1", List.of(TestAds.edsCluster("a")), List.of(TestAds.endpoints("a", a.port())),
          List.of(TestAds.httpListener("http", 0, "local")), List.of(TestAds.routeTo("local", "a")),
          List.of());
      Path file = dir.resolve("envoy.yaml");
      Files.writeString(file, bootstrap("DELTA_GRPC", "{ads: {}}", "", cp.port()));
      try (XdsProxy proxy = XdsProxy.start(file, 0, 1, Duration.ofSeconds(1))) {
        assertThat(proxy.ads().protocol()).isEqualTo(AdsClient.Protocol.DELTA);
        await().atMost(10, TimeUnit.SECONDS).until(() -> proxy.runtime().listenerAddress("http") != null);
        assertThat(HttpPeers.get(proxy.runtime().listenerAddress("http"), "/")).isEqualTo("200 a");
        assertThat(cp.deltaRequests).isNotEmpty();
        assertThat(cp.requests).isEmpty();
      }
    }
  }
}
