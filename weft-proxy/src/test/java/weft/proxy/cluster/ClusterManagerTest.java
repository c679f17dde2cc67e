package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;
import static weft.proxy.cluster.ClusterFixtures.staticCluster;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigProblem;

class ClusterManagerTest {

  @Test
  void staticRoundRobinVisitsEveryHostEquallyInTurn() {
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", "", 8001, 8002, 8003))) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("svc");
      Map<Integer, Integer> counts = new HashMap<>();
      for (int i = 0; i < 300; i++) {
        counts.merge(c.choose(LbContext.NONE).address().getPort(), 1, Integer::sum);
      }
      assertThat(counts).containsOnly(Map.entry(8001, 100), Map.entry(8002, 100), Map.entry(8003, 100));
    }
  }

  @Test
  void defaultsFollowEnvoy() {
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", "", 8001))) {
      UpstreamCluster c = b.cluster("svc");
      assertThat(c.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(c.protocol()).isEqualTo(UpstreamProtocol.DEFAULT);
      assertThat(c.transport()).isNull();
      assertThat(c.circuitBreakers().thresholds()).isEqualTo(CircuitBreakers.Thresholds.DEFAULT);
      assertThat(b.manager().get("missing")).isNull();
    }
  }

  @Test
  void explicitHttp2ProtocolOptionsSelectHttp2WithStreamLimitAndIdleTimeout() {
    String extra =
        """
        "connect_timeout":"0.25s",
        "typed_extension_protocol_options":{"envoy.extensions.upstreams.http.v3.HttpProtocolOptions":{
          "@type":"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
          "common_http_protocol_options":{"idle_timeout":"30s"},
          "explicit_http_config":{"http2_protocol_options":{"max_concurrent_streams":100}}}}""";
    try (var b = build(staticCluster("grpc", "ROUND_ROBIN", extra, 9000))) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("grpc");
      assertThat(c.connectTimeout()).isEqualTo(Duration.ofMillis(250));
      assertThat(c.protocol())
          .isEqualTo(new UpstreamProtocol(UpstreamProtocol.Version.HTTP2, 100, Duration.ofSeconds(30), 0));
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"lb_policy\":\"CLUSTER_PROVIDED\"|static_resources.clusters[0].lb_policy: CLUSTER_PROVIDED is not supported",
        "\"type\":\"EDS\"|static_resources.clusters[0].type: EDS is not supported",
        "\"upstream_bind_config\":{}|static_resources.clusters[0].upstream_bind_config: field is not supported by weft",
        "\"transport_socket_matches\":[{\"name\":\"x\"}]|static_resources.clusters[0].transport_socket_matches: field is not supported by weft",
        "\"lb_subset_config\":{\"fallback_policy\":\"ANY_ENDPOINT\"}|static_resources.clusters[0].lb_subset_config: field is not supported by weft",
        "\"circuit_breakers\":{\"thresholds\":[{\"priority\":\"HIGH\"}]}|static_resources.clusters[0].circuit_breakers.thresholds[0].priority: HIGH is not supported",
        "\"transport_socket\":{\"name\":\"envoy.transport_sockets.alts\"}|static_resources.clusters[0].transport_socket.name: envoy.transport_sockets.alts is not supported",
      })
  void unsupportedFieldsAreErrorsNamingTheirPath(String field, String expected) {
    String json = "{\"name\":\"bad\"," + field + "}";
    try (var b = build(json, staticCluster("good", "ROUND_ROBIN", "", 8001))) {
      assertThat(b.problems().list()).map(ConfigProblem::toString).contains(expected);
      assertThat(b.cluster("bad")).isNull();
      assertThat(b.cluster("good")).isNotNull();
    }
  }

  @Test
  void staticClusterRefusesHostNames() {
    String json =
        staticCluster("svc", "ROUND_ROBIN", "", 80).replace("127.0.0.1", "backend.local");
    try (var b = build(json)) {
      assertThat(b.problems().list())
          .map(ConfigProblem::toString)
          .containsExactly(
              "static_resources.clusters[0].load_assignment: static cluster address backend.local is not an IP address; use STRICT_DNS");
    }
  }

  @Test
  void duplicateNamesAreRejected() {
    try (var b = build(staticCluster("a", "RANDOM", "", 1), staticCluster("a", "RANDOM", "", 2))) {
      assertThat(b.problems().list())
          .map(ConfigProblem::toString)
          .containsExactly("static_resources.clusters[1].name: duplicate cluster name a");
    }
  }

  @Test
  void dumpClustersPrintsEnvoysAdminTextPerHostAndCircuitBreakers() {
    String extra = "\"circuit_breakers\":{\"thresholds\":[{\"max_retries\":10}]}";
    try (var b = build(staticCluster("service", "ROUND_ROBIN", extra, 19482, 19483))) {
      UpstreamCluster c = b.cluster("service");
      Host h = c.choose(LbContext.NONE);
      h.connectionOpened();
      h.requestStarted();
      h.requestFinished(true);
      String dump = b.manager().dumpClusters();
      assertThat(dump)
          .contains("service::default_priority::max_connections::1024\n")
          .contains("service::default_priority::max_pending_requests::1024\n")
          .contains("service::default_priority::max_requests::1024\n")
          .contains("service::default_priority::max_retries::10\n")
          .contains("service::127.0.0.1:19482::health_flags::healthy\n")
          .contains("service::127.0.0.1:19483::weight::1\n")
          .contains("service::127.0.0.1:19483::priority::0\n")
          .contains("service::127.0.0.1:19483::region::\n")
          .contains("service::" + h.addressString() + "::cx_active::1\n")
          .contains("service::" + h.addressString() + "::rq_success::1\n")
          .contains("service::" + h.addressString() + "::rq_total::1\n");
    }
  }

  @Test
  void clustersStatusIsEnvoysJsonShape() throws Exception {
    String extra = "\"circuit_breakers\":{\"thresholds\":[{\"max_retries\":10}]}";
    try (var b = build(staticCluster("service", "ROUND_ROBIN", extra, 19482))) {
      String json = com.google.protobuf.util.JsonFormat.printer().print(b.manager().clustersStatus());
      assertThat(json)
          .contains("\"name\": \"service\"")
          .contains("\"maxRetries\": 10")
          .contains("\"portValue\": 19482")
          .contains("\"edsHealthStatus\": \"HEALTHY\"")
          .contains("\"name\": \"rq_total\"");
    }
  }

  @Test
  void membershipGaugesCountHosts() {
    try (var b = build(staticCluster("svc", "ROUND_ROBIN", "", 1, 2, 3))) {
      assertThat(b.stats().gauge("cluster.svc.membership_total").value()).isEqualTo(3);
      assertThat(b.stats().gauge("cluster.svc.membership_healthy").value()).isEqualTo(3);
    }
  }
}
