package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions.HeadersWithUnderscoresAction;
import org.junit.jupiter.api.Test;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblem;
import weft.proxy.config.ConfigProblems;
import weft.proxy.http1.Http1DecoderConfig.Underscores;

class Http1DecoderConfigTest {
  private static final ConfigPath HCM = ConfigPath.of("hcm");

  @Test
  void unsetFieldsGiveEnvoysDefaults() {
    ConfigProblems problems = new ConfigProblems();
    Http1DecoderConfig c =
        Http1DecoderConfig.compile(
            null, HttpProtocolOptions.getDefaultInstance(), Http1ProtocolOptions.getDefaultInstance(), HCM, problems);
    assertThat(problems.isEmpty()).isTrue();
    assertThat(c).isEqualTo(Http1DecoderConfig.DEFAULTS);
  }

  @Test
  void honouredFieldsAreTranslated() {
    ConfigProblems problems = new ConfigProblems();
    Http1ProtocolOptions options =
        Http1ProtocolOptions.newBuilder()
            .setAcceptHttp10(true)
            .setDefaultHostForHttp10("legacy.test")
            .setAllowChunkedLength(true)
            .setEnableTrailers(true)
            .setAllowCustomMethods(true)
            .setAllowAbsoluteUrl(BoolValue.of(true))
            .setOverrideStreamErrorOnInvalidHttpMessage(BoolValue.of(false))
            .build();
    Http1DecoderConfig c =
        Http1DecoderConfig.compile(UInt32Value.of(96), common(50, HeadersWithUnderscoresAction.DROP_HEADER), options, HCM, problems);
    assertThat(problems.isEmpty()).isTrue();
    assertThat(c)
        .isEqualTo(new Http1DecoderConfig(96, 50, true, "legacy.test", true, true, true, Underscores.DROP_HEADER));
  }

  @Test
  void everyProblemIsReportedWithItsPath() {
    ConfigProblems problems = new ConfigProblems();
    Http1ProtocolOptions options =
        Http1ProtocolOptions.newBuilder()
            .setAllowAbsoluteUrl(BoolValue.of(false))
            .setOverrideStreamErrorOnInvalidHttpMessage(BoolValue.of(true))
            .setSendFullyQualifiedUrl(true)
            .setDefaultHostForHttp10("bad host")
            .build();
    Http1DecoderConfig.compile(UInt32Value.of(9000), common(0, HeadersWithUnderscoresAction.ALLOW), options, HCM, problems);
    assertThat(problems.list())
        .extracting(ConfigProblem::toString)
        .containsExactlyInAnyOrder(
            "hcm.max_request_headers_kb: 9000 is out of range (expected: 1-8192)",
            "hcm.common_http_protocol_options.max_headers_count: 0 is out of range (expected: >= 1)",
            "hcm.http_protocol_options.send_fully_qualified_url: field is not supported by weft",
            "hcm.http_protocol_options.allow_absolute_url: false is not supported",
            "hcm.http_protocol_options.override_stream_error_on_invalid_http_message: true is not supported",
            "hcm.http_protocol_options.default_host_for_http_10: 'bad host' is not a valid host[:port]");
  }

  private static HttpProtocolOptions common(int maxHeaders, HeadersWithUnderscoresAction action) {
    return HttpProtocolOptions.newBuilder()
        .setMaxHeadersCount(UInt32Value.of(maxHeaders))
        .setHeadersWithUnderscoresAction(action)
        .build();
  }

  @Test
  void programmerErrorsNameTheValueAndTheExpectation() {
    assertThatThrownBy(() -> Http1DecoderConfig.DEFAULTS.withLimits(0, 100))
        .hasMessage("maxRequestHeadersKb: 0 (expected: 1-8192)");
  }
}
