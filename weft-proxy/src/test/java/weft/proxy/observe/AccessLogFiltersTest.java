package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLogFilter;
import io.envoyproxy.envoy.config.accesslog.v3.AndFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ComparisonFilter;
import io.envoyproxy.envoy.config.accesslog.v3.DurationFilter;
import io.envoyproxy.envoy.config.accesslog.v3.HeaderFilter;
import io.envoyproxy.envoy.config.accesslog.v3.NotHealthCheckFilter;
import io.envoyproxy.envoy.config.accesslog.v3.OrFilter;
import io.envoyproxy.envoy.config.accesslog.v3.ResponseFlagFilter;
import io.envoyproxy.envoy.config.accesslog.v3.StatusCodeFilter;
import io.envoyproxy.envoy.config.core.v3.RuntimeUInt32;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Envoy's access log filters (api config/accesslog/v3/accesslog.proto). */
class AccessLogFiltersTest {
  private final ConfigProblems problems = new ConfigProblems();
  private final FakeRecord r = new FakeRecord();

  private AccessLogFilters.Filter compile(AccessLogFilter f) {
    AccessLogFilters.Filter c = AccessLogFilters.compile(f, ConfigPath.of("filter"), problems);
    assertThat(problems.list()).isEmpty();
    return c;
  }

  private static ComparisonFilter cmp(ComparisonFilter.Op op, int v) {
    return ComparisonFilter.newBuilder()
        .setOp(op)
        .setValue(RuntimeUInt32.newBuilder().setDefaultValue(v).setRuntimeKey("k"))
        .build();
  }

  private static AccessLogFilter status(ComparisonFilter.Op op, int v) {
    return AccessLogFilter.newBuilder()
        .setStatusCodeFilter(StatusCodeFilter.newBuilder().setComparison(cmp(op, v)))
        .build();
  }

  @ParameterizedTest(name = "{0} {1} vs status {2} -> {3}")
  @CsvSource({
    "EQ, 200, 200, true",
    "EQ, 200, 201, false",
    "GE, 400, 404, true",
    "GE, 400, 399, false",
    "LE, 299, 200, true",
    "LE, 299, 300, false"
  })
  void statusCodeComparisons(ComparisonFilter.Op op, int value, int code, boolean logged) {
    r.code = code;
    assertThat(compile(status(op, value)).test(r)).isEqualTo(logged);
  }

  @Test
  void durationAndCombinators() {
    AccessLogFilter slow =
        AccessLogFilter.newBuilder()
            .setDurationFilter(
                DurationFilter.newBuilder().setComparison(cmp(ComparisonFilter.Op.GE, 100)))
            .build();
    AccessLogFilter errors = status(ComparisonFilter.Op.GE, 500);
    AccessLogFilters.Filter slowErrors =
        compile(
            AccessLogFilter.newBuilder()
                .setAndFilter(AndFilter.newBuilder().addFilters(slow).addFilters(errors))
                .build());
    AccessLogFilters.Filter slowOrErrors =
        compile(
            AccessLogFilter.newBuilder()
                .setOrFilter(OrFilter.newBuilder().addFilters(slow).addFilters(errors))
                .build());
    r.duration = 150;
    r.code = 200;
    assertThat(slowErrors.test(r)).isFalse();
    assertThat(slowOrErrors.test(r)).isTrue();
    r.code = 503;
    assertThat(slowErrors.test(r)).isTrue();
    r.duration = 5;
    assertThat(slowOrErrors.test(r)).isTrue();
    r.code = 200;
    assertThat(slowOrErrors.test(r)).isFalse();
  }

  @Test
  void headerFilterMatchesRequestHeadersAndPseudoHeaders() {
    AccessLogFilters.Filter debug =
        compile(
            AccessLogFilter.newBuilder()
                .setHeaderFilter(
                    HeaderFilter.newBuilder()
                        .setHeader(
                            HeaderMatcher.newBuilder().setName("x-debug").setPresentMatch(true)))
                .build());
    AccessLogFilters.Filter posts =
        compile(
            AccessLogFilter.newBuilder()
                .setHeaderFilter(
                    HeaderFilter.newBuilder()
                        .setHeader(
                            HeaderMatcher.newBuilder().setName(":method").setExactMatch("POST")))
                .build());
    assertThat(debug.test(r)).isFalse();
    assertThat(posts.test(r)).isFalse();
    r.req.add("X-Debug", "1");
    r.method = "POST";
    assertThat(debug.test(r)).isTrue();
    assertThat(posts.test(r)).isTrue();
  }

  @ParameterizedTest(name = "flags {0} with filter [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          -      |        | false
          UH     |        | true
          UH,URX | URX    | true
          URX    | UR     | false
          UF     | UH UF  | true
          NR     | UH UF  | false
          """)
  void responseFlagFilter(String flags, String wanted, boolean logged) {
    ResponseFlagFilter.Builder f = ResponseFlagFilter.newBuilder();
    if (wanted != null) {
      f.addAllFlags(java.util.List.of(wanted.split(" ")));
    }
    r.flags = flags;
    assertThat(compile(AccessLogFilter.newBuilder().setResponseFlagFilter(f).build()).test(r))
        .isEqualTo(logged);
  }

  @Test
  void unknownResponseFlagsAreRefused() {
    AccessLogFilters.compile(
        AccessLogFilter.newBuilder()
            .setResponseFlagFilter(ResponseFlagFilter.newBuilder().addFlags("XX"))
            .build(),
        ConfigPath.of("filter"),
        problems);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly("filter.response_flag_filter.flags[0]: unknown response flag XX");
  }

  @Test
  void withoutAHealthCheckFilterNoRequestIsAHealthCheck() {
    assertThat(
            compile(
                    AccessLogFilter.newBuilder()
                        .setNotHealthCheckFilter(NotHealthCheckFilter.getDefaultInstance())
                        .build())
                .test(r))
        .isTrue();
  }
}
