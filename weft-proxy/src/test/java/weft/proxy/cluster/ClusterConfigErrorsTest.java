package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigProblem;

/**
 * Config the cluster translator refuses, each with the path of the offending field (cluster.proto,
 * endpoint.proto, http_protocol_options.proto). One row per rule.
 */
class ClusterConfigErrorsTest {
  private static final String P = "static_resources.clusters[0].";
  private static final String EP =
      "{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80}}}}";

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // protocol options
        "`\"typed_extension_protocol_options\":{\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\":{\"@type\":\"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\",\"auto_config\":{}}}`"
            + "|typed_extension_protocol_options[\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\"].auto_config: auto_config is not supported",
        "`\"typed_extension_protocol_options\":{\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\":{\"@type\":\"type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions\",\"explicit_http_config\":{\"http2_protocol_options\":{\"allow_connect\":true}}}}`"
            + "|typed_extension_protocol_options[\"envoy.extensions.upstreams.http.v3.HttpProtocolOptions\"].explicit_http_config.http2_protocol_options.allow_connect: field is not supported by weft",
        "`\"common_http_protocol_options\":{\"max_headers_count\":10}`|common_http_protocol_options.max_headers_count: field is not supported by weft",
        // discovery and dns
        "`\"type\":\"LOGICAL_DNS\"`|type: LOGICAL_DNS is not supported",
        "`\"respect_dns_ttl\":true`|respect_dns_ttl: field is not supported by weft",
        // load balancing
        "`\"lb_policy\":\"RING_HASH\",\"ring_hash_lb_config\":{\"hash_function\":\"MURMUR_HASH_2\"}`|ring_hash_lb_config.hash_function: MURMUR_HASH_2 is not supported",
        "`\"lb_policy\":\"MAGLEV\",\"maglev_lb_config\":{\"table_size\":65536}`|maglev_lb_config.table_size: 65536 (expected: a prime <= 5000011)",
        "`\"lb_policy\":\"ROUND_ROBIN\",\"least_request_lb_config\":{}`|least_request_lb_config: does not match lb_policy ROUND_ROBIN",
        "`\"lb_policy\":\"LEAST_REQUEST\",\"least_request_lb_config\":{\"slow_start_config\":{}}`|least_request_lb_config.slow_start_config: field is not supported by weft",
        "`\"common_lb_config\":{\"zone_aware_lb_config\":{}}`|common_lb_config.zone_aware_lb_config: field is not supported by weft",
        "`\"lb_policy\":\"MAGLEV\",\"common_lb_config\":{\"locality_weighted_lb_config\":{}}`|common_lb_config.locality_weighted_lb_config: locality weighting with MAGLEV is not supported",
        // circuit breakers and outlier detection
        "`\"circuit_breakers\":{\"thresholds\":[{\"track_remaining\":true}]}`|circuit_breakers.thresholds[0].track_remaining: field is not supported by weft",
        "`\"circuit_breakers\":{\"thresholds\":[{\"retry_budget\":{\"budget_percent\":{\"value\":120}}}]}`|circuit_breakers.thresholds[0].retry_budget.budget_percent: 120.0 (expected: 0 to 100)",
        "`\"outlier_detection\":{\"max_ejection_percent\":101}`|outlier_detection.max_ejection_percent: 101 (expected: 0 to 100)",
        "`\"outlier_detection\":{\"enforcing_success_rate\":50}`|outlier_detection.enforcing_success_rate: success-rate outlier detection is not supported (set enforcing_success_rate: 0)",
        // health checks
        "`\"health_checks\":[{\"interval\":\"1s\",\"timeout\":\"1s\",\"unhealthy_threshold\":1,\"healthy_threshold\":1,\"grpc_health_check\":{}}]`|health_checks[0].grpc_health_check: grpc_health_check is not supported",
        "`\"health_checks\":[{\"interval\":\"1s\",\"timeout\":\"1s\",\"http_health_check\":{\"path\":\"/\"}}]`|health_checks[0]: unhealthy_threshold and healthy_threshold are required",
        "`\"health_checks\":[{\"interval\":\"1s\",\"timeout\":\"1s\",\"unhealthy_threshold\":1,\"healthy_threshold\":1,\"tcp_health_check\":{\"send\":{\"text\":\"zz\"}}}]`|health_checks[0].tcp_health_check.send.text: \"zz\" (expected: hex-encoded bytes)",
        "`\"connect_timeout\":\"0s\"`|connect_timeout: PT0S (expected: > 0)",
      })
  void refusedWithItsPath(String fields, String expected) {
    String json =
        "{\"name\":\"c\"," + fields + ",\"load_assignment\":{\"cluster_name\":\"c\",\"endpoints\":[{\"lb_endpoints\":["
            + EP + "]}]}}";
    try (var b = build(json)) {
      assertThat(b.problems().list()).map(ConfigProblem::toString).contains(P + expected);
      assertThat(b.cluster("c")).isNull();
    }
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        "`{\"priority\":1,\"lb_endpoints\":[{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80}}}}]}`|load_assignment.endpoints: priorities must be contiguous from 0; found 1 without 0",
        "`{\"lb_endpoints\":[{\"health_status\":\"DEGRADED\",\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80}}}}]}`|load_assignment.endpoints[0].lb_endpoints[0].health_status: DEGRADED is not supported",
        "`{\"lb_endpoints\":[{\"metadata\":{},\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80}}}}]}`|load_assignment.endpoints[0].lb_endpoints[0].metadata: field is not supported by weft",
        "`{\"proximity\":1,\"lb_endpoints\":[{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80}}}}]}`|load_assignment.endpoints[0].proximity: field is not supported by weft",
        "`{\"lb_endpoints\":[{\"endpoint\":{\"address\":{\"pipe\":{\"path\":\"/x\"}}}}]}`|load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.pipe: field is not supported by weft",
        "`{\"lb_endpoints\":[{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":80,\"protocol\":\"UDP\"}}}}]}`|load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.protocol: UDP is not supported",
      })
  void endpointsRefusedWithTheirPath(String localityEndpoints, String expected) {
    String json =
        "{\"name\":\"c\",\"load_assignment\":{\"cluster_name\":\"c\",\"endpoints\":[" + localityEndpoints + "]}}";
    try (var b = build(json)) {
      assertThat(b.problems().list()).map(ConfigProblem::toString).contains(P + expected);
    }
  }
}
