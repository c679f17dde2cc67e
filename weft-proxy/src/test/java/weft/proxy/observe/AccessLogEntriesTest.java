package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Entry filling, after Envoy's grpc_access_log_utils.cc and http_grpc_access_log_impl.cc. */
class AccessLogEntriesTest {
  // Envoy's responseFlagsToAccessLogResponseFlags: one ResponseFlags field per short flag
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "LH, failed_local_healthcheck", "UH, no_healthy_upstream", "UT, upstream_request_timeout",
      "LR, local_reset", "UR, upstream_remote_reset", "UF, upstream_connection_failure",
      "UC, upstream_connection_termination", "UO, upstream_overflow", "NR, no_route_found",
      "DI, delay_injected", "FI, fault_injected", "RL, rate_limited", "UAEX, unauthorized_details",
      "RLSE, rate_limit_service_error", "DC, downstream_connection_termination",
      "URX, upstream_retry_limit_exceeded", "SI, stream_idle_timeout",
      "IH, invalid_envoy_request_headers", "DPE, downstream_protocol_error",
      "UMSDR, upstream_max_stream_duration_reached", "DT, duration_timeout",
      "UPE, upstream_protocol_error", "NC, no_cluster_found", "OM, overload_manager",
      "DF, dns_resolution_failure", "DR, downstream_remote_reset"})
  void eachShortFlagSetsItsResponseFlagsField(String flag, String field) {
    ResponseFlags f = AccessLogEntries.responseFlags(flag);
    assertThat(f).isNotNull();
    assertThat(f.getAllFields().keySet()).extracting(d -> d.getName()).containsExactly(field);
  }

  @Test
  void severalFlagsSetSeveralFields() {
    ResponseFlags f = AccessLogEntries.responseFlags("UF,URX");
    assertThat(f.getUpstreamConnectionFailure()).isTrue();
    assertThat(f.getUpstreamRetryLimitExceeded()).isTrue();
  }

  @Test
  void rbacAndNoFlagsLeaveResponseFlagsUnset() {
    // Envoy sets no response flag on an RBAC denial: the details name the policy instead
    assertThat(AccessLogEntries.responseFlags("RBAC")).isNull();
    assertThat(AccessLogEntries.responseFlags("-")).isNull();
    assertThat(AccessLogEntries.responseFlags("")).isNull();
    assertThat(AccessLogEntries.responseFlags(null)).isNull();
  }

  @Test
  void originalPathComesFromXEnvoyOriginalPathOrTheRewrite() {
    FakeRecord r = new FakeRecord();
    r.originalPath = "/before";
    HTTPAccessLogEntry e = AccessLogEntries.http(r, AccessLogEntries.ExtraHeaders.NONE, Map.of());
    assertThat(e.getRequest().getPath()).isEqualTo("/service/1?x=1");
    assertThat(e.getRequest().getOriginalPath()).isEqualTo("/before");
    r.req.set("x-envoy-original-path", "/header");
    e = AccessLogEntries.http(r, AccessLogEntries.ExtraHeaders.NONE, Map.of());
    assertThat(e.getRequest().getOriginalPath()).isEqualTo("/header");
  }

  @Test
  void requestAndResponseSummaryFields() {
    FakeRecord r = new FakeRecord();
    r.req.set("user-agent", "curl/8").set("referer", "http://r/").set("x-forwarded-for", "10.1.1.1")
        .set("x-request-id", "abc");
    r.received = 7;
    HTTPAccessLogEntry e = AccessLogEntries.http(r, AccessLogEntries.ExtraHeaders.NONE, Map.of());
    var q = e.getRequest();
    assertThat(q.getUserAgent()).isEqualTo("curl/8");
    assertThat(q.getReferer()).isEqualTo("http://r/");
    assertThat(q.getForwardedFor()).isEqualTo("10.1.1.1");
    assertThat(q.getRequestId()).isEqualTo("abc");
    assertThat(q.getRequestBodyBytes()).isEqualTo(7);
    assertThat(q.getRequestHeadersBytes()).isEqualTo(
        "user-agent".length() + 6 + "referer".length() + 9 + "x-forwarded-for".length() + 8
            + "x-request-id".length() + 3);
    assertThat(e.getResponse().getResponseBodyBytes()).isEqualTo(42);
    var c = e.getCommonProperties();
    assertThat(c.getStartTime().getSeconds()).isEqualTo(1_460_751_420L);
    assertThat(c.getStartTime().getNanos()).isEqualTo(310_000_000);
    assertThat(c.getTimeToLastDownstreamTxByte().getNanos()).isEqualTo(12_000_000);
    assertThat(c.getDownstreamLocalAddress().getSocketAddress().getAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(c.hasTlsProperties()).isFalse();
  }
}
