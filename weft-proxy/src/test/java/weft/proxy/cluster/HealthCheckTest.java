package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.cluster.ClusterFixtures.buildNio;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** arch_overview/upstream/health_checking against real servers on port 0. */
@Timeout(20)
class HealthCheckTest {

  @BeforeAll
  static void fastPolling() {
    Awaitility.setDefaultPollInterval(Duration.ofMillis(10));
    Awaitility.setDefaultTimeout(Duration.ofSeconds(10));
  }

  private static String cluster(String check, String endpoints) {
    return "{\"name\":\"backend\",\"type\":\"STATIC\",\"connect_timeout\":\"1s\","
        + "\"health_checks\":[{\"interval\":\"0.05s\",\"timeout\":\"1s\",\"unhealthy_threshold\":1,"
        + "\"healthy_threshold\":1," + check + "}],"
        + "\"load_assignment\":{\"cluster_name\":\"backend\",\"endpoints\":[{\"lb_endpoints\":["
        + endpoints + "]}]}}";
  }

  private static String endpoint(int port, int hcPort) {
    return "{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":"
        + port + "}}" + (hcPort == 0 ? "" : ",\"health_check_config\":{\"port_value\":" + hcPort + "}")
        + "}}";
  }

  private static Host only(ClusterFixtures.Built b) {
    return b.cluster("backend").hosts().get(0);
  }

  @Test
  void hostsStartFailedAndFollowTheHttpCheckBothWays() {
    try (TestBackend a = TestBackend.http();
        TestBackend other = TestBackend.http();
        var b = buildNio(cluster("\"http_health_check\":{\"path\":\"/healthz\"}",
            endpoint(a.port(), 0) + "," + endpoint(other.port(), 0)))) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("backend");
      Host h = c.hosts().get(0);
      assertThat(b.manager().dumpClusters())
          .contains("backend::127.0.0.1:" + a.port() + "::health_flags::/failed_active_hc");
      b.manager().start();
      await().until(() -> c.hosts().stream().allMatch(Host::healthy));
      assertThat(b.manager().dumpClusters())
          .contains("backend::127.0.0.1:" + a.port() + "::health_flags::healthy");

      a.status.set(503);
      await().until(h::failedActiveHealthCheck);
      Set<Host> chosen = new HashSet<>();
      for (int i = 0; i < 20; i++) {
        chosen.add(c.choose(LbContext.NONE));
      }
      assertThat(chosen).doesNotContain(h);
      assertThat(b.manager().dumpClusters())
          .contains("backend::127.0.0.1:" + a.port() + "::health_flags::/failed_active_hc");

      a.status.set(200);
      await().until(h::healthy);
      assertThat(b.stats().counter("cluster.backend.health_check.failure").value()).isPositive();
      assertThat(b.stats().counter("cluster.backend.health_check.success").value()).isPositive();
    }
  }

  @Test
  void startCompletesAfterEveryHostHadItsFirstCheck() throws Exception {
    try (TestBackend up = TestBackend.http();
        var b = buildNio(cluster("\"http_health_check\":{\"path\":\"/\"}",
            endpoint(up.port(), 0) + "," + endpoint(1, 0)))) {
      b.manager().start().get(10, java.util.concurrent.TimeUnit.SECONDS);
      UpstreamCluster c = b.cluster("backend");
      // the first passing check makes a host healthy at once; the refused one stays failed
      assertThat(c.hosts().get(0).healthy()).isTrue();
      assertThat(c.hosts().get(1).failedActiveHealthCheck()).isTrue();
      assertThat(c.choose(LbContext.NONE)).isSameAs(c.hosts().get(0));
    }
  }

  /** outlier.rst note: a passing active health check unejects, unless turned off. */
  @org.junit.jupiter.params.ParameterizedTest(name = "successful_active_health_check_uneject_host {0}")
  @org.junit.jupiter.params.provider.CsvSource({"true", "false"})
  void passingHealthCheckUnejectsAnOutlierByDefault(boolean uneject) throws Exception {
    String json =
        cluster("\"http_health_check\":{\"path\":\"/\"}", endpoint(0, 0))
            .replace("\"health_checks\"",
                "\"outlier_detection\":{\"max_ejection_percent\":100,"
                    + "\"successful_active_health_check_uneject_host\":" + uneject + "},\"health_checks\"");
    try (TestBackend up = TestBackend.http();
        var b = buildNio(json.replace("\"port_value\":0", "\"port_value\":" + up.port()))) {
      assertThat(b.problems().list()).isEmpty();
      b.manager().start().get(10, java.util.concurrent.TimeUnit.SECONDS);
      UpstreamCluster c = b.cluster("backend");
      Host h = only(b);
      for (int i = 0; i < 5; i++) {
        c.reportResponse(h, 500);
      }
      await().until(() -> b.stats().counter("cluster.backend.outlier_detection.ejections_enforced_total").value() == 1);
      long after = b.stats().counter("cluster.backend.health_check.success").value();
      await().until(() -> b.stats().counter("cluster.backend.health_check.success").value() > after + 2);
      assertThat(h.failedOutlierCheck()).isEqualTo(!uneject);
    }
  }

  @Test
  void failedHostsAreCheckedAtTheUnhealthyInterval() {
    String json =
        cluster("\"http_health_check\":{\"path\":\"/\"}", "ENDPOINTS")
            .replace("\"interval\":\"0.05s\"", "\"interval\":\"30s\",\"unhealthy_interval\":\"0.02s\"");
    try (TestBackend failing = TestBackend.http();
        TestBackend passing = TestBackend.http()) {
      failing.status.set(503);
      String eps = endpoint(failing.port(), 0) + "," + endpoint(passing.port(), 0);
      try (var b = buildNio(json.replace("ENDPOINTS", eps))) {
        assertThat(b.problems().list()).isEmpty();
        b.manager().start();
        await().until(() -> failing.requests.size() >= 5);
        assertThat(passing.requests).hasSize(1);
        assertThat(b.cluster("backend").hosts().get(1).healthy()).isTrue();
      }
    }
  }

  @Test
  void requestCarriesPathAndClusterNameAsHost() {
    try (TestBackend a = TestBackend.http();
        var b = buildNio(cluster("\"http_health_check\":{\"path\":\"/healthz\"}", endpoint(a.port(), 0)))) {
      b.manager().start();
      await().until(() -> !a.requests.isEmpty());
      var rq = a.requests.peek();
      assertThat(rq.uri()).isEqualTo("/healthz");
      assertThat(rq.headers().get("host")).isEqualTo("backend");
      assertThat(rq.headers().get("user-agent")).isEqualTo("Envoy/HC");
    }
  }

  @Test
  void expectedStatusRangesAreHalfOpen() {
    String check =
        "\"http_health_check\":{\"path\":\"/\",\"host\":\"hc.local\",\"expected_statuses\":[{\"start\":200,\"end\":205}]}";
    try (TestBackend a = TestBackend.http();
        var b = buildNio(cluster(check, endpoint(a.port(), 0)))) {
      a.status.set(204);
      b.manager().start();
      Host h = only(b);
      await().until(h::healthy);
      a.status.set(205);
      await().until(h::failedActiveHealthCheck);
      assertThat(a.requests.peek().headers().get("host")).isEqualTo("hc.local");
    }
  }

  @Test
  void healthCheckConfigHostnameOverridesTheHostHeader() {
    try (TestBackend a = TestBackend.http()) {
      String ep =
          endpoint(a.port(), 0).replace("}}}", "}},\"health_check_config\":{\"hostname\":\"ep.local\"}}");
      try (var b = buildNio(cluster("\"http_health_check\":{\"path\":\"/\",\"host\":\"cluster.local\"}", ep))) {
        assertThat(b.problems().list()).isEmpty();
        b.manager().start();
        await().until(() -> !a.requests.isEmpty());
        assertThat(a.requests.peek().headers().get("host")).isEqualTo("ep.local");
      }
    }
  }

  @Test
  void healthCheckConfigPortValueIsWhereChecksGo() {
    try (TestBackend hc = TestBackend.http();
        var b = buildNio(cluster("\"http_health_check\":{\"path\":\"/\"}", endpoint(1, hc.port())))) {
      b.manager().start();
      Host h = only(b);
      await().until(h::healthy);
      assertThat(h.address().getPort()).isEqualTo(1);
    }
  }

  @Test
  void tcpConnectCheckFollowsTheListener() {
    TestBackend server = TestBackend.tcp(in -> null);
    try (var b = buildNio(cluster("\"tcp_health_check\":{}", endpoint(server.port(), 0)))) {
      b.manager().start();
      Host h = only(b);
      await().until(h::healthy);
      server.close();
      await().until(h::failedActiveHealthCheck);
      assertThat(b.stats().counter("cluster.backend.health_check.network_failure").value()).isPositive();
    } finally {
      server.close();
    }
  }

  @Test
  void tcpSendReceiveNeedsTheExpectedReply() {
    String check =
        "\"tcp_health_check\":{\"send\":{\"text\":\"70696e67\"},\"receive\":[{\"text\":\"706f\"},{\"text\":\"6e67\"}]}";
    try (TestBackend good = TestBackend.tcp(in -> in.equals("ping") ? "pong" : "?");
        TestBackend bad = TestBackend.tcp(in -> "nope");
        var b = buildNio(cluster(check, endpoint(good.port(), 0) + "," + endpoint(bad.port(), 0)))) {
      b.manager().start();
      UpstreamCluster c = b.cluster("backend");
      Host goodHost = c.hosts().get(0);
      Host badHost = c.hosts().get(1);
      await().until(goodHost::healthy);
      await().until(() -> b.stats().counter("cluster.backend.health_check.failure").value() > 0);
      assertThat(badHost.failedActiveHealthCheck()).isTrue();
    }
  }

  @Test
  void unsupportedHealthCheckFieldsAreRefused() {
    String check = "\"http_health_check\":{\"path\":\"/\",\"codec_client_type\":\"HTTP2\"},\"reuse_connection\":false";
    try (var b = buildNio(cluster(check, endpoint(1, 0)))) {
      assertThat(b.problems().list())
          .map(Object::toString)
          .containsExactlyInAnyOrder(
              "static_resources.clusters[0].health_checks[0].reuse_connection: field is not supported by weft",
              "static_resources.clusters[0].health_checks[0].http_health_check.codec_client_type: HTTP2 is not supported");
    }
  }
}
