package weft.proxy.filter.fault;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Duration;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultRateLimit;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.PrimitiveIterator;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;

/** Envoy's fault filter (docs/root/configuration/http/http_filters/fault_filter.rst). */
class FaultFilterConfigTest {
  private static final RandomSource NEVER_CALLED =
      () -> {
        throw new AssertionError("no random draw expected at 100%");
      };

  private final StatsStore stats = new StatsStore();
  private final ConfigProblems problems = new ConfigProblems();

  private static FractionalPercent percent(int n, FractionalPercent.DenominatorType d) {
    return FractionalPercent.newBuilder().setNumerator(n).setDenominator(d).build();
  }

  private static final FractionalPercent ALL =
      percent(100, FractionalPercent.DenominatorType.HUNDRED);

  /** The header-controlled config of fault_filter.rst's example. */
  private static HTTPFault headerControlled() {
    return HTTPFault.newBuilder()
        .setMaxActiveFaults(UInt32Value.of(100))
        .setAbort(
            FaultAbort.newBuilder()
                .setHeaderAbort(FaultAbort.HeaderAbort.getDefaultInstance())
                .setPercentage(ALL))
        .setDelay(
            FaultDelay.newBuilder()
                .setHeaderDelay(FaultDelay.HeaderDelay.getDefaultInstance())
                .setPercentage(ALL))
        .setResponseRateLimit(
            FaultRateLimit.newBuilder()
                .setHeaderLimit(FaultRateLimit.HeaderLimit.getDefaultInstance())
                .setPercentage(ALL))
        .build();
  }

  private FaultFilterConfig compile(HTTPFault f) {
    FaultFilterConfig c =
        FaultFilterConfig.compile(
            f, "ingress_http", stats, ConfigPath.of("typed_config"), problems);
    assertThat(problems.list()).isEmpty();
    return c;
  }

  private static HttpHeaders headers(String... kv) {
    HttpHeaders h = new DefaultHttpHeaders();
    for (int i = 0; i < kv.length; i += 2) {
      h.add(kv[i], kv[i + 1]);
    }
    return h;
  }

  private long stat(String name) {
    return stats.counter("http.ingress_http.fault." + name).value();
  }

  private long activeFaults() {
    return stats.gauge("http.ingress_http.fault.active_faults").value();
  }

  @ParameterizedTest(name = "{0}: {1} -> abort {2}/{3}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # fault_filter.rst header rule                           | headers                                                                 | http | grpc
          abort-request is an HTTP status                          | x-envoy-fault-abort-request=503                                         | 503  | -1
          any status in [200, 600)                                 | x-envoy-fault-abort-request=418                                         | 418  | -1
          grpc-request answers HTTP 200                            | x-envoy-fault-abort-grpc-request=14                                     | 200  | 14
          an HTTP status wins over a gRPC one                      | x-envoy-fault-abort-request=429,x-envoy-fault-abort-grpc-request=14     | 429  | -1
          percentage header 0 disables the abort                   | x-envoy-fault-abort-request=503,x-envoy-fault-abort-request-percentage=0 | 0    | 0
          percentage header above the configured one is capped     | x-envoy-fault-abort-request=503,x-envoy-fault-abort-request-percentage=500 | 503 | -1
          status outside [200, 600) is ignored                     | x-envoy-fault-abort-request=600                                         | 0    | 0
          malformed status is ignored                              | x-envoy-fault-abort-request=5xx                                         | 0    | 0
          no headers, no fault                                     | x-other=1                                                               | 0    | 0
          """)
  void headerControlledAborts(String rule, String headerList, int http, int grpc) {
    FaultFilterConfig c = compile(headerControlled());
    String[] kv = headerList.replace('=', ',').split(",");
    FaultDecision d = c.decide(headers(kv), NEVER_CALLED);
    if (http == 0) {
      assertThat(d.isNone()).as(rule).isTrue();
      assertThat(stat("aborts_injected")).isZero();
      return;
    }
    assertThat(d.abort()).as(rule).isEqualTo(new FaultDecision.Abort(http, grpc));
    assertThat(d.delayMillis()).isEqualTo(-1);
    assertThat(stat("aborts_injected")).isEqualTo(1);
  }

  @Test
  void headerDelayHoldsAnActiveFaultUntilTheDelayElapses() {
    FaultFilterConfig c = compile(headerControlled());
    FaultDecision d = c.decide(headers("x-envoy-fault-delay-request", "1000"), NEVER_CALLED);
    assertThat(d.delayMillis()).isEqualTo(1000);
    assertThat(d.abort()).isNull();
    assertThat(stat("delays_injected")).isEqualTo(1);
    assertThat(activeFaults()).isEqualTo(1);
    d.onDelayElapsed();
    assertThat(activeFaults()).isZero();
    d.onStreamEnd();
    assertThat(activeFaults()).isZero();
  }

  @Test
  void delayThenAbortCountsOneActiveFaultUntilTheStreamEnds() {
    FaultFilterConfig c = compile(headerControlled());
    FaultDecision d =
        c.decide(
            headers("x-envoy-fault-delay-request", "50", "x-envoy-fault-abort-request", "503"),
            NEVER_CALLED);
    assertThat(d.delayMillis()).isEqualTo(50);
    assertThat(d.abort()).isEqualTo(new FaultDecision.Abort(503, -1));
    assertThat(activeFaults()).isEqualTo(1);
    d.onDelayElapsed();
    assertThat(activeFaults()).isEqualTo(1);
    d.onStreamEnd();
    d.onStreamEnd();
    assertThat(activeFaults()).isZero();
  }

  @Test
  void throughputHeaderSetsAResponseRateLimit() {
    FaultFilterConfig c = compile(headerControlled());
    FaultDecision d = c.decide(headers("x-envoy-fault-throughput-response", "64"), NEVER_CALLED);
    assertThat(d.responseRateLimitKbps()).isEqualTo(64);
    assertThat(stat("response_rl_injected")).isEqualTo(1);
  }

  @Test
  void maxActiveFaultsOverflowsInsteadOfInjecting() {
    HTTPFault f = headerControlled().toBuilder().setMaxActiveFaults(UInt32Value.of(1)).build();
    FaultFilterConfig c = compile(f);
    HttpHeaders abort = headers("x-envoy-fault-abort-request", "503");
    FaultDecision first = c.decide(abort, NEVER_CALLED);
    assertThat(first.abort()).isNotNull();
    assertThat(c.decide(abort, NEVER_CALLED).isNone()).isTrue();
    assertThat(stat("faults_overflow")).isEqualTo(1);
    first.onStreamEnd();
    assertThat(c.decide(abort, NEVER_CALLED).abort()).isNotNull();
  }

  @Test
  void fixedFaultsApplyToTheConfiguredFractionOfRequests() {
    HTTPFault f =
        HTTPFault.newBuilder()
            .setDelay(
                FaultDelay.newBuilder()
                    .setFixedDelay(Duration.newBuilder().setSeconds(2).setNanos(5_000_000))
                    .setPercentage(percent(2500, FractionalPercent.DenominatorType.TEN_THOUSAND)))
            .setAbort(
                FaultAbort.newBuilder()
                    .setGrpcStatus(8)
                    .setPercentage(percent(50, FractionalPercent.DenominatorType.HUNDRED)))
            .build();
    FaultFilterConfig c = compile(f);
    // Draws: delay 2499 (< 2500: delayed), abort 149 (% 100 = 49 < 50: aborted).
    PrimitiveIterator.OfLong draws = LongStream.of(2499, 149, 2500, 50).iterator();
    RandomSource random = draws::nextLong;
    FaultDecision hit = c.decide(headers(), random);
    assertThat(hit.delayMillis()).isEqualTo(2005);
    assertThat(hit.abort()).isEqualTo(new FaultDecision.Abort(200, 8));
    assertThat(c.decide(headers(), random).isNone()).isTrue();
    assertThat(stat("delays_injected")).isEqualTo(1);
    assertThat(stat("aborts_injected")).isEqualTo(1);
  }

  @Test
  void unsetPercentageMeansNoFault() {
    FaultFilterConfig c =
        compile(
            HTTPFault.newBuilder().setAbort(FaultAbort.newBuilder().setHttpStatus(503)).build());
    assertThat(c.decide(headers(), NEVER_CALLED).isNone()).isTrue();
  }

  @Test
  void downstreamClusterHeaderGetsItsOwnCounters() {
    FaultFilterConfig c = compile(headerControlled());
    c.decide(
        headers("x-envoy-fault-abort-request", "503", "x-envoy-downstream-service-cluster", "web"),
        NEVER_CALLED);
    assertThat(stat("web.aborts_injected")).isEqualTo(1);
    assertThat(stat("aborts_injected")).isEqualTo(1);
  }

  @Test
  void headerMatchersRestrictWhichRequestsGetFaults() {
    HTTPFault f =
        headerControlled().toBuilder()
            .addHeaders(HeaderMatcher.newBuilder().setName("x-canary").setExactMatch("true"))
            .build();
    FaultFilterConfig c = compile(f);
    assertThat(c.decide(headers("x-envoy-fault-abort-request", "503"), NEVER_CALLED).isNone())
        .isTrue();
    assertThat(
            c.decide(
                    headers("x-envoy-fault-abort-request", "503", "X-Canary", "true"), NEVER_CALLED)
                .abort())
        .isEqualTo(new FaultDecision.Abort(503, -1));
  }

  @Test
  void unsupportedFieldsAndBadValuesAreNamed() {
    HTTPFault f =
        HTTPFault.newBuilder()
            .setUpstreamCluster("backend")
            .addDownstreamNodes("n")
            .setAbort(FaultAbort.newBuilder().setHttpStatus(700))
            .setDelay(FaultDelay.newBuilder().setPercentage(ALL))
            .build();
    FaultFilterConfig.compile(f, "ingress_http", stats, ConfigPath.of("typed_config"), problems);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly(
            "typed_config.upstream_cluster: field is not supported by weft",
            "typed_config.downstream_nodes: field is not supported by weft",
            "typed_config.delay: delay needs fixed_delay or header_delay",
            "typed_config.abort.http_status: http_status 700 is out of range (expected: [200,"
                + " 600))");
  }
}
