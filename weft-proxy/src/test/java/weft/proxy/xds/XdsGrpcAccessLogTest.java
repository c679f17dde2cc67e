package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.xds.TestAds.edsCluster;
import static weft.proxy.xds.TestAds.endpoints;
import static weft.proxy.xds.TestAds.routeTo;

import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.observe.StatsStore;
import weft.proxy.observe.TestAccessLogCollector;

/**
 * gRPC access loggers configured over xDS: the collector is an EDS cluster, an update that keeps
 * the logger keeps its stream, an update that drops it ends the stream (no leaked calls).
 */
@Timeout(60)
class XdsGrpcAccessLogTest {
  private HttpPeers.Backend a;
  private TestAccessLogCollector collector;
  private TestAds cp;
  private XdsRuntime runtime;
  private AdsClient client;

  @BeforeEach
  void start() throws Exception {
    a = new HttpPeers.Backend("a");
    collector = new TestAccessLogCollector();
    cp = new TestAds(0);
    runtime = new XdsRuntime(AdsClient.node(TestAds.NODE), 1, new StatsStore(), Duration.ofSeconds(5));
    client = new AdsClient("127.0.0.1", cp.port(), runtime,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    runtime.close();
    cp.close();
    collector.close();
    a.close();
  }

  private static Listener listener(boolean logs) {
    String accessLog = logs ? """
              access_log:
              - name: envoy.access_loggers.http_grpc
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig
                  common_config: {log_name: flows, buffer_flush_interval: 0.05s, grpc_service: {envoy_grpc: {cluster_name: als}}}
        """ : "";
    return TestAds.parse("""
        name: http
        address: {socket_address: {address: 127.0.0.1, port_value: 0}}
        filter_chains:
        - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: ingress
        #LOG
              rds: {route_config_name: local, config_source: {ads: {}}}
              http_filters:
              - name: envoy.filters.http.router
                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
        """.replace("#LOG\n", accessLog), Listener.newBuilder());
  }

  private void serve(String version, boolean logs, String routeName) {
    cp.set(version, List.of(edsCluster("a"), edsCluster("als")),
        List.of(endpoints("a", a.port()), endpoints("als", collector.port())),
        List.of(listener(logs)), List.of(routeTo("local", "a").toBuilder()
            .setVirtualHosts(0, routeTo("local", "a").getVirtualHosts(0).toBuilder()
                .setRoutes(0, routeTo("local", "a").getVirtualHosts(0).getRoutes(0).toBuilder()
                    .setName(routeName)))
            .build()),
        List.of());
  }

  private InetSocketAddress proxy() {
    await().atMost(10, TimeUnit.SECONDS).until(() -> runtime.listenerAddress("http") != null);
    return runtime.listenerAddress("http");
  }

  @Test
  void aKeptLoggerKeepsItsStreamAndADroppedOneEndsIt() {
    serve("1", true, "r1");
    client.start();
    InetSocketAddress proxy = proxy();
    assertThat(HttpPeers.get(proxy, "/one")).isEqualTo("200 a");
    await().atMost(10, TimeUnit.SECONDS).until(() -> collector.http("flows").size() == 1);
    assertThat(collector.streams("flows").get(0).messages.get(0).getIdentifier().getNode().getId())
        .isEqualTo(TestAds.NODE);

    serve("2", true, "r2"); // a route change: the listener's logger config is unchanged
    await().atMost(10, TimeUnit.SECONDS).until(() -> {
      HttpPeers.get(proxy, "/two");
      return collector.http("flows").stream().anyMatch(e -> e.getCommonProperties()
          .getRouteName().equals("r2"));
    });
    assertThat(collector.streams).hasSize(1);
    assertThat(collector.streams.get(0).ended).isFalse();

    serve("3", false, "r3");
    await().atMost(10, TimeUnit.SECONDS).until(() -> collector.streams.get(0).ended);
    assertThat(collector.streams).hasSize(1);
  }
}
