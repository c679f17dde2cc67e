package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.config.ConfigException;
import weft.proxy.observe.StatsStore;

/**
 * gRPC access logger config (als.proto CommonGrpcAccessLogConfig, grpc_service.proto): what is
 * refused and how it is named; and a collector that is down never holds requests up.
 */
@Timeout(60)
class GrpcAccessLogConfigTest {
  private static final String PREFIX = "static_resources.listeners[0].filter_chains[0].filters[0]"
      + ".typed_config.access_log[0].typed_config.common_config";

  /** A plain HTTP listener whose HCM logs through {@code commonConfig} (flow-style YAML). */
  private static String yaml(String commonConfig, int backendPort, String extraCluster) {
    return """
        static_resources:
          listeners:
          - name: http
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: http
                  access_log:
                  - name: envoy.access_loggers.http_grpc
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig
                      common_config: %s
                  route_config:
                    virtual_hosts:
                    - {name: all, domains: ["*"], routes: [{match: {prefix: "/"}, route: {cluster: b}}]}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
          clusters:
          - name: b
            load_assignment:
              cluster_name: b
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          %s
        """.formatted(commonConfig, backendPort, extraCluster);
  }

  static Stream<Arguments> refused() {
    String ok = "grpc_service: {envoy_grpc: {cluster_name: b}}";
    return Stream.of(
        Arguments.of("log_name is required", "{" + ok + "}",
            PREFIX + ".log_name: log_name is required"),
        Arguments.of("transport_api_version must be V3",
            "{log_name: l, transport_api_version: V2, " + ok + "}",
            PREFIX + ".transport_api_version: V2 is not supported (expected: V3)"),
        Arguments.of("grpc_service is required", "{log_name: l}",
            PREFIX + ".grpc_service: grpc_service is required"),
        Arguments.of("envoy_grpc names a cluster of the config",
            "{log_name: l, grpc_service: {envoy_grpc: {cluster_name: nope}}}",
            PREFIX + ".grpc_service.envoy_grpc.cluster_name: unknown cluster 'nope'"),
        Arguments.of("google_grpc channel credentials are not supported",
            "{log_name: l, grpc_service: {google_grpc: {target_uri: 'x:1', stat_prefix: s, "
                + "channel_credentials: {local_credentials: {}}}}}",
            PREFIX + ".grpc_service.google_grpc.channel_credentials: field is not supported"),
        Arguments.of("filter_state_objects_to_log is not supported",
            "{log_name: l, filter_state_objects_to_log: [a], " + ok + "}",
            PREFIX + ".filter_state_objects_to_log: field is not supported"),
        Arguments.of("grpc_stream_retry_policy is not supported",
            "{log_name: l, grpc_stream_retry_policy: {num_retries: 2}, " + ok + "}",
            PREFIX + ".grpc_stream_retry_policy: field is not supported"),
        Arguments.of("metadata custom tags are not supported",
            "{log_name: l, custom_tags: [{tag: t, metadata: {kind: {request: {}}}}], " + ok + "}",
            PREFIX + ".custom_tags[0].metadata: metadata custom tag is not supported"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusesWithTheFieldPath(String rule, String commonConfig, String problem) {
    String tls = """
        - name: tls
          load_assignment: {cluster_name: tls, endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: 9}}}}]}]}
          transport_socket:
            name: envoy.transport_sockets.tls
            typed_config: {"@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext}
        """.replace("\n", "\n  ");
    assertThatThrownBy(() -> ProxyServer.start(
        BootstrapLoader.parse(yaml(commonConfig, 9, tls), false, "bad.yaml"), Path.of("."), 1,
        new StatsStore()).close())
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(problem);
  }

  @Test
  void aConfigOnlyCompileValidatesGrpcLoggersWithoutARuntime() throws Exception {
    // as a control plane checks its translation: no sink, nothing is sent, problems still found
    Transport transport = Transport.best();
    var workers = transport.newGroup(1);
    StatsStore stats = new StatsStore();
    try (var logs = new weft.proxy.observe.AccessLogWriter(stats, 16)) {
      String good = "{log_name: l, grpc_service: {envoy_grpc: {cluster_name: b}}}";
      ProxyConfig pc = BootstrapCompiler.compile(
          BootstrapLoader.parse(yaml(good, 9, ""), false, "ok.yaml"),
          new BootstrapCompiler.Context(workers, stats, new weft.proxy.upstream.UpstreamPools(
              transport), new weft.proxy.http.DrainSignal(), Path.of("."), logs));
      pc.clusters().close();
      String bad = "{log_name: l, grpc_service: {envoy_grpc: {cluster_name: nope}}}";
      assertThatThrownBy(() -> BootstrapCompiler.compile(
          BootstrapLoader.parse(yaml(bad, 9, ""), false, "bad.yaml"),
          new BootstrapCompiler.Context(workers, stats, new weft.proxy.upstream.UpstreamPools(
              transport), new weft.proxy.http.DrainSignal(), Path.of("."), logs)))
          .hasMessageContaining("unknown cluster 'nope'");
    } finally {
      workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aDeadCollectorNeverHoldsRequestsUpAndCountsDrops() throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      dead = s.getLocalPort(); // closed again: connections to it are refused
    }
    // buffer_size_bytes 1: one entry fills the buffer, the rest are dropped while it cannot flush
    String common = "{log_name: l, buffer_size_bytes: 1, buffer_flush_interval: 0.05s, "
        + "grpc_service: {google_grpc: {target_uri: '127.0.0.1:" + dead + "', stat_prefix: als}}}";
    StatsStore stats = new StatsStore();
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    try (TestBackend b = new TestBackend("b");
        ProxyServer p = ProxyServer.start(
            BootstrapLoader.parse(yaml(common, b.port(), ""), false, "dead.yaml"), Path.of("."), 1,
            stats)) {
      URI uri = URI.create("http://127.0.0.1:" + p.listenerAddresses().get(0).getPort() + "/x");
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> r = client.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
      }
      await().atMost(Duration.ofSeconds(10)).until(
          () -> stats.counter("access_logs.grpc_access_log.logs_dropped").value() >= 19);
      assertThat(stats.counter("access_logs.grpc_access_log.logs_written").value()).isZero();
    }
  }
}
