package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Envoy's command operators (docs/root/configuration/observability/access_log/usage.rst). */
class AccessLogFormatTest {
  private final FakeRecord r = new FakeRecord();

  {
    r.req.add("user-agent", "curl/8.5.0");
    r.req.add("x-request-id", "abc-123");
    r.resp.add("x-envoy-upstream-service-time", "7");
    r.resp.add("content-type", "text/plain");
  }

  private String format(String f) {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat compiled = AccessLogFormat.compile(f, ConfigPath.of("log_format"), problems);
    assertThat(problems.list()).isEmpty();
    return compiled.format(r);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '\'',
      textBlock =
          """
          # usage.rst operator                         | expected
          %START_TIME%                                  | 2016-04-15T20:17:00.310Z
          %START_TIME(%Y/%m/%d %H:%M:%S)%               | 2016/04/15 20:17:00
          %START_TIME(%s.%3f)%                          | 1460751420.310
          %START_TIME(%s.%6f)%                          | 1460751420.310000
          %START_TIME(%F %T %z)%                        | 2016-04-15 20:17:00 +0000
          %START_TIME(%a %b %e %I %p %j)%               | Fri Apr 15 08 PM 106
          %REQ(:METHOD)%                                | GET
          %REQ(:path)%                                  | /service/1?x=1
          %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%            | /service/1?x=1
          %REQ(X-MISSING?:PATH)%                        | /service/1?x=1
          %REQ(:AUTHORITY)%                             | example.com
          %REQ(USER-AGENT)%                             | curl/8.5.0
          %REQ(USER-AGENT):4%                           | curl
          %REQ(X-FORWARDED-FOR)%                        | -
          %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)%         | 7
          %RESP(:STATUS)%                               | 200
          %TRAILER(GRPC-STATUS)%                        | -
          %PROTOCOL%                                    | HTTP/1.1
          %RESPONSE_CODE%                               | 200
          %RESPONSE_FLAGS%                              | -
          %RESPONSE_CODE_DETAILS%                       | via_upstream
          %BYTES_RECEIVED% %BYTES_SENT%                 | 0 42
          %DURATION%                                    | 12
          %REQUEST_DURATION%                            | -
          %UPSTREAM_HOST%                               | 127.0.0.1:8080
          %UPSTREAM_CLUSTER%                            | backend
          %UPSTREAM_CLUSTER_RAW%                        | backend
          %UPSTREAM_REMOTE_ADDRESS%                     | 127.0.0.1:8080
          %UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%        | 127.0.0.1
          %UPSTREAM_REMOTE_PORT%                        | 8080
          %UPSTREAM_TRANSPORT_FAILURE_REASON%           | -
          %DOWNSTREAM_REMOTE_ADDRESS%                   | 10.0.0.7:51234
          %DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT%      | 10.0.0.7
          %DOWNSTREAM_REMOTE_PORT%                      | 51234
          %DOWNSTREAM_LOCAL_ADDRESS%                    | [::1]:10000
          %DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT%       | ::1
          %REQUESTED_SERVER_NAME%                       | -
          %DOWNSTREAM_PEER_URI_SAN%                     | -
          %ROUTE_NAME%                                  | -
          %CONNECTION_TERMINATION_DETAILS%              | -
          """)
  void operatorsPrintEnvoysValues(String format, String expected) {
    assertThat(format(format)).isEqualTo(expected);
  }

  @Test
  void defaultFormatMatchesEnvoysLine() {
    r.protocol = "HTTP/2";
    r.method = "POST";
    r.path = "/kv.KV/Get";
    assertThat(format(AccessLogFormat.ENVOY_DEFAULT))
        .isEqualTo(
            "[2016-04-15T20:17:00.310Z] \"POST /kv.KV/Get HTTP/2\" 200 - 0 42 12 7 \"-\""
                + " \"curl/8.5.0\" \"abc-123\" \"example.com\" \"127.0.0.1:8080\"\n");
  }

  @Test
  void startTimeStaysExactAcrossMillisecondsAndSeconds() {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat f =
        AccessLogFormat.compile(
            "%START_TIME% %START_TIME(%s %E6S|%9f)%", ConfigPath.of("f"), problems);
    long[] times = {1_460_751_420_310L, 1_460_751_420_999L, 1_460_751_421_000L, 1_460_751_420_001L};
    String[] want = {
      "2016-04-15T20:17:00.310Z 1460751420 00.310000|310000000",
      "2016-04-15T20:17:00.999Z 1460751420 00.999000|999000000",
      "2016-04-15T20:17:01.000Z 1460751421 01.000000|000000000",
      "2016-04-15T20:17:00.001Z 1460751420 00.001000|001000000"
    };
    for (int i = 0; i < times.length; i++) {
      r.start = times[i];
      assertThat(f.format(r)).isEqualTo(want[i]);
    }
  }

  @Test
  void originalPathIsThePathBeforeARouteRewrite() {
    r.path = "/rewritten";
    r.originalPath = "/service/1";
    assertThat(format("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %REQ(:PATH)%"))
        .isEqualTo("/service/1 /rewritten");
    r.originalPath = null;
    r.req.add("X-Envoy-Original-Path", "/from-header");
    assertThat(format("%REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%")).isEqualTo("/from-header");
  }

  @Test
  void unknownOperatorsAndBadSyntaxAreNamed() {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat.compile(
        "%NOPE% %REQ()% %DURATION(x)% %START_TIME(%Q)%", ConfigPath.of("f"), problems);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly(
            "f: access log command %NOPE% is not supported",
            "f: %REQ% needs a header name, e.g. %REQ(USER-AGENT)%",
            "f: access log command %DURATION% takes no argument, got (x)",
            "f: unsupported START_TIME conversion %Q");
  }

  @Test
  void aPercentSignThatStartsNoCommandIsAnError() {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat.compile("100% done", ConfigPath.of("f"), problems);
    assertThat(problems.list())
        .extracting(Object::toString)
        .containsExactly("f: invalid access log format 100% done: no valid command at position 3");
  }

  @Test
  void omitEmptyValuesPrintsNothingForAbsentValues() {
    ConfigProblems problems = new ConfigProblems();
    AccessLogFormat f =
        AccessLogFormat.compile("[%REQ(X-NONE)%]", ConfigPath.of("f"), problems)
            .omittingEmptyValues();
    assertThat(f.format(r)).isEqualTo("[]");
  }
}
