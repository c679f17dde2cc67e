package weft.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.observe.StatsStore;

/** Envoy's admin endpoints (docs/root/operations/admin.rst) over a real socket. */
@Timeout(20)
class AdminServerTest {
  private static EventLoopGroup group;
  private final HttpClient client = HttpClient.newHttpClient();
  private final StatsStore stats = new StatsStore();
  private final AtomicBoolean initialized = new AtomicBoolean(true);
  private final java.util.concurrent.atomic.AtomicInteger reopened =
      new java.util.concurrent.atomic.AtomicInteger();
  private AdminServer server;

  @BeforeAll
  static void startGroup() {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  }

  @AfterAll
  static void stopGroup() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    Bootstrap bootstrap = bootstrap();
    List<Message> dump = ConfigDumps.ofBootstrap(bootstrap, Instant.parse("2026-01-02T03:04:05Z"));
    AdminSources sources =
        new AdminSources() {
          @Override
          public boolean initialized() {
            return initialized.get();
          }

          @Override
          public StatsStore stats() {
            return stats;
          }

          @Override
          public String clustersText() {
            return "backend::127.0.0.1:8080::health_flags::healthy\n";
          }

          @Override
          public List<Message> configDump() {
            return dump;
          }

          @Override
          public void reopenAccessLogs() {
            reopened.incrementAndGet();
          }
        };
    server = AdminServer.start(new InetSocketAddress("127.0.0.1", 0), group, sources);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  private HttpResponse<String> post(String path) throws Exception {
    return send(
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()).build());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.address().getPort() + path);
  }

  private HttpResponse<String> send(HttpRequest r) throws Exception {
    return client.send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyAnswersLiveOnlyWhenInitialisedAndHealthChecksPass() throws Exception {
    assertThat(get("/ready"))
        .satisfies(
            r -> {
              assertThat(r.statusCode()).isEqualTo(200);
              assertThat(r.body()).isEqualTo("LIVE\n");
            });
    initialized.set(false);
    assertThat(get("/ready").statusCode()).isEqualTo(503);
    assertThat(get("/ready").body()).isEqualTo("INITIALIZING\n");
    initialized.set(true);

    assertThat(post("/healthcheck/fail").body()).isEqualTo("OK\n");
    assertThat(server.healthCheckFailed()).isTrue();
    HttpResponse<String> draining = get("/ready");
    assertThat(draining.statusCode()).isEqualTo(503);
    assertThat(draining.body()).isEqualTo("DRAINING\n");
    assertThat(get("/stats?filter=server.state").body()).isEqualTo("server.state: 1\n");

    post("/healthcheck/ok");
    assertThat(get("/ready").statusCode()).isEqualTo(200);
    assertThat(get("/stats?filter=server.state").body()).isEqualTo("server.state: 0\n");
  }

  @Test
  void stateChangingEndpointsRequirePost() throws Exception {
    HttpResponse<String> r = get("/healthcheck/fail");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(server.healthCheckFailed()).isFalse();
    assertThat(post("/quitquitquit").statusCode()).isEqualTo(403);
    assertThat(get("/reopen_logs").statusCode()).isEqualTo(405);
    assertThat(reopened).hasValue(0);
    assertThat(post("/reopen_logs").body()).isEqualTo("OK\n");
    assertThat(reopened).hasValue(1);
  }

  @Test
  void statsHonourFilterUsedOnlyAndFormat() throws Exception {
    stats.counter("http.ingress_http.rbac.allowed").inc();
    stats.counter("http.ingress_http.rbac.denied").inc();
    stats.counter("cluster.backend.upstream_rq_total").add(2);
    HttpResponse<String> filtered = get("/stats?filter=rbac");
    assertThat(filtered.statusCode()).isEqualTo(200);
    assertThat(filtered.body())
        .isEqualTo("http.ingress_http.rbac.allowed: 1\nhttp.ingress_http.rbac.denied: 1\n");
    HttpResponse<String> json = get("/stats?format=json&filter=backend");
    assertThat(json.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(json.body())
        .isEqualTo("{\"stats\":[{\"name\":\"cluster.backend.upstream_rq_total\",\"value\":2}]}");
    stats.gauge("cluster.backend.upstream_cx_active").set(1);
    assertThat(get("/stats?filter=backend&type=Gauges").body())
        .isEqualTo("cluster.backend.upstream_cx_active: 1\n");
    assertThat(get("/stats?type=Gauge").statusCode()).isEqualTo(400);
    assertThat(get("/stats?filter=(").statusCode()).isEqualTo(400);
    assertThat(get("/stats?format=xml").statusCode()).isEqualTo(400);
  }

  @Test
  void prometheusEndpointUsesEnvoyNames() throws Exception {
    stats.counter("cluster.backend.upstream_rq_total").add(3);
    HttpResponse<String> r = get("/stats/prometheus");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("# TYPE envoy_cluster_upstream_rq_total counter\n")
        .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"backend\"} 3\n");
  }

  @Test
  void clustersServesTheSuppliedText() throws Exception {
    assertThat(get("/clusters").body())
        .isEqualTo("backend::127.0.0.1:8080::health_flags::healthy\n");
    assertThat(get("/clusters?format=json").statusCode()).isEqualTo(400);
  }

  @Test
  void configDumpHasEnvoysShape() throws Exception {
    HttpResponse<String> r = get("/config_dump");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body())
        .contains("\"configs\": [")
        .contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.BootstrapConfigDump\"")
        .contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump\"")
        .contains("\"static_clusters\": [")
        .contains("\"@type\": \"type.googleapis.com/envoy.config.cluster.v3.Cluster\"")
        .contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.ListenersConfigDump\"")
        .contains("\"static_listeners\": [")
        .contains("\"@type\": \"type.googleapis.com/envoy.admin.v3.RoutesConfigDump\"")
        .contains("\"static_route_configs\": [")
        .contains("\"name\": \"local_route\"")
        .contains("\"last_updated\": \"2026-01-02T03:04:05Z\"");
    assertThat(r.body().indexOf("BootstrapConfigDump"))
        .isLessThan(r.body().indexOf("ClustersConfigDump"));
  }

  @Test
  void configDumpSelectsAResourceAndAppliesAMask() throws Exception {
    HttpResponse<String> clusters = get("/config_dump?resource=static_clusters");
    assertThat(clusters.statusCode()).isEqualTo(200);
    assertThat(clusters.body())
        .contains(
            "\"@type\": \"type.googleapis.com/envoy.admin.v3.ClustersConfigDump.StaticCluster\"")
        .contains("\"name\": \"backend\"")
        .doesNotContain("BootstrapConfigDump")
        .doesNotContain("listener_0");
    HttpResponse<String> masked = get("/config_dump?resource=static_clusters&mask=last_updated");
    assertThat(masked.body()).contains("\"last_updated\"").doesNotContain("\"name\": \"backend\"");
    assertThat(get("/config_dump?resource=nope").statusCode()).isEqualTo(404);
    assertThat(get("/config_dump?mask=no_such_field").statusCode()).isEqualTo(400);
    assertThat(get("/config_dump?include_eds").statusCode()).isEqualTo(400);
  }

  @Test
  void serverInfoReportsStateAndNode() throws Exception {
    HttpResponse<String> r = get("/server_info");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"state\": \"LIVE\"").contains("\"version\": \"weft\"");
  }

  @Test
  void adminRequestsAreCountedLikeEnvoysAdminConnectionManager() throws Exception {
    get("/ready");
    get("/nope");
    assertThat(get("/stats?filter=http.admin").body())
        .isEqualTo(
            "http.admin.downstream_rq_2xx: 1\n"
                + "http.admin.downstream_rq_4xx: 1\n"
                + "http.admin.downstream_rq_total: 2\n");
  }

  @Test
  void unknownPathListsTheEndpoints() throws Exception {
    HttpResponse<String> r = get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body())
        .startsWith("invalid path. admin commands are:\n")
        .contains("  /ready: print server state, return 200 if LIVE, otherwise return 503\n")
        .contains("  /stats/prometheus: print server stats in prometheus format\n");
  }

  private static Bootstrap bootstrap() {
    HttpConnectionManager hcm =
        HttpConnectionManager.newBuilder()
            .setStatPrefix("ingress_http")
            .setRouteConfig(RouteConfiguration.newBuilder().setName("local_route"))
            .build();
    Listener listener =
        Listener.newBuilder()
            .setName("listener_0")
            .addFilterChains(
                FilterChain.newBuilder()
                    .addFilters(
                        Filter.newBuilder()
                            .setName("envoy.filters.network.http_connection_manager")
                            .setTypedConfig(Any.pack(hcm))))
            .build();
    Bootstrap.Builder b = Bootstrap.newBuilder();
    b.getStaticResourcesBuilder()
        .addListeners(listener)
        .addClusters(Cluster.newBuilder().setName("backend"));
    return b.build();
  }
}
