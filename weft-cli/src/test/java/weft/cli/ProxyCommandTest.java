package weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft proxy}: startup errors list every problem by path and exit 1. */
class ProxyCommandTest {
  @Test
  void printsEveryProblemAndExits1OnAnInvalidBootstrap(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("bad.yaml");
    Files.writeString(cfg, """
        dynamic_resources: {}
        static_resources:
          clusters:
          - name: c
            lb_policy: CLUSTER_PROVIDED
            load_assignment: {cluster_name: c}
        """);
    Cli r = Cli.run("proxy", "-c", cfg.toString(), "--concurrency", "1");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains("dynamic_resources").contains("static_resources.clusters[0].lb_policy");
  }

  @Test
  void namesTheFileWhenATypedConfigIsUnknown(@TempDir Path dir) throws Exception {
    Path cfg = dir.resolve("unknown.yaml");
    Files.writeString(cfg, """
        static_resources:
          listeners:
          - address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: x
                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.network.redis_proxy.v3.RedisProxy}
        """);
    Cli r = Cli.run("proxy", "-c", cfg.toString());
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains(cfg.toString()).contains("RedisProxy");
  }

  @Test
  void saysWhichAddressCannotBeBound(@TempDir Path dir) throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
        java.net.InetAddress.getByName("127.0.0.1"))) {
      Path cfg = dir.resolve("busy.yaml");
      Files.writeString(cfg, """
          static_resources:
            listeners:
            - name: busy
              address: {socket_address: {address: 127.0.0.1, port_value: %d}}
              filter_chains:
              - filters:
                - name: envoy.filters.network.tcp_proxy
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                    stat_prefix: t
                    cluster: c
            clusters:
            - name: c
              load_assignment: {cluster_name: c}
          """.formatted(taken.getLocalPort()));
      Cli r = Cli.run("proxy", "-c", cfg.toString(), "--concurrency", "1");
      assertThat(r.status()).isEqualTo(1);
      assertThat(r.err())
          .contains("listener 'busy': cannot bind /127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void anAdsBootstrapGoesToTheXdsProxyAndItsProblemsNameTheirPaths(@TempDir Path dir) throws Exception {
    // Envoy's bootstrap names its management server in dynamic_resources.ads_config
    Path cfg = dir.resolve("ads.yaml");
    Files.writeString(cfg, """
        node: {id: default/web, cluster: default}
        dynamic_resources:
          ads_config:
            api_type: REST
            transport_api_version: V3
            grpc_services: [{envoy_grpc: {cluster_name: xds}}]
          cds_config: {ads: {}}
          lds_config: {path: /etc/lds.yaml}
        static_resources:
          clusters:
          - name: xds
            type: STATIC
            load_assignment:
              cluster_name: xds
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 1}}}}]}]
        """);
    Cli r = Cli.run("proxy", "-c", cfg.toString(), "--concurrency", "1");
    assertThat(r.status()).isEqualTo(1);
    assertThat(r.err()).contains(cfg.toString())
        .contains("dynamic_resources.ads_config.api_type").contains("REST (expected: GRPC or DELTA_GRPC)")
        .contains("dynamic_resources.lds_config");
  }

  private static String stderrOf(String... args) {
    Cli r = Cli.run(args);
    assertThat(r.status()).isEqualTo(1);
    return r.err();
  }

  @Test
  void configFileAndXdsAreMutuallyExclusive(@TempDir Path dir) {
    assertThat(stderrOf("proxy", "-c", dir.resolve("x.yaml").toString(), "--xds", "127.0.0.1:15010",
        "--node", "shop/web")).contains("exactly one of -c FILE and --xds HOST:PORT");
    assertThat(stderrOf("proxy")).contains("exactly one of -c FILE and --xds HOST:PORT");
  }

  @Test
  void xdsNeedsANamespacedNodeIdAndAHostPort() {
    assertThat(stderrOf("proxy", "--xds", "127.0.0.1:15010")).contains("--node NS/WORKLOAD");
    assertThat(stderrOf("proxy", "--xds", "127.0.0.1", "--node", "shop/web"))
        .contains("'127.0.0.1' must be HOST:PORT");
    assertThat(stderrOf("proxy", "--xds", "127.0.0.1:15010", "--node", "web"))
        .contains("node id 'web' must be NAMESPACE/WORKLOAD");
  }

  @Test
  void anUnreadableTokenFileIsAStartupError(@TempDir Path dir) {
    assertThat(stderrOf("proxy", "--xds", "127.0.0.1:15010", "--node", "shop/web", "--token",
        dir.resolve("missing.token").toString())).contains("cannot start").contains("missing.token");
  }
}
