package weft.proxy.http1;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Http1ProtocolOptions;
import io.envoyproxy.envoy.config.core.v3.HttpProtocolOptions;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * Limits and options of one listener's {@link Http1RequestDecoder}, after the Envoy {@code
 * HttpConnectionManager} fields of the same names. Immutable; shared by every connection of the
 * listener.
 *
 * @param maxRequestHeadersKb {@code max_request_headers_kb}: the request-line with the header
 *     section, and separately the trailer section, may each be at most this many KiB (raw bytes,
 *     line ends included), else 431; 1 to 8192, default 60
 * @param maxHeadersCount {@code common_http_protocol_options.max_headers_count}: at most this many
 *     header (and, separately, trailer) field lines, else 431; at least 1, default 100
 * @param acceptHttp10 {@code http_protocol_options.accept_http_10}: accept HTTP/1.0 requests
 *     instead of answering 426
 * @param defaultHostForHttp10 {@code http_protocol_options.default_host_for_http_10}: the Host
 *     given to an HTTP/1.0 request without one; empty for none
 * @param allowChunkedLength {@code http_protocol_options.allow_chunked_length}: a request with both
 *     {@code Transfer-Encoding: chunked} and {@code Content-Length} is framed by chunked and loses
 *     its Content-Length, instead of being refused with 400
 * @param enableTrailers {@code http_protocol_options.enable_trailers}: pass chunked trailers on in
 *     the {@code LastHttpContent}; otherwise they are checked and dropped, as Envoy does
 * @param allowCustomMethods {@code http_protocol_options.allow_custom_methods}: accept any token as
 *     a method; otherwise only the methods Envoy's parser knows are accepted (400)
 * @param underscores {@code common_http_protocol_options.headers_with_underscores_action}: what to
 *     do with a header or trailer whose name contains '_'
 */
public record Http1DecoderConfig(
    int maxRequestHeadersKb,
    int maxHeadersCount,
    boolean acceptHttp10,
    String defaultHostForHttp10,
    boolean allowChunkedLength,
    boolean enableTrailers,
    boolean allowCustomMethods,
    Underscores underscores) {

  /** Envoy's {@code HeadersWithUnderscoresAction}. */
  public enum Underscores {
    ALLOW,
    /** Refuse the request: 400 {@code http1.unexpected_underscore}. */
    REJECT_REQUEST,
    /** Drop the field before anything else sees it. */
    DROP_HEADER
  }

  /** Envoy's defaults. */
  public static final Http1DecoderConfig DEFAULTS =
      new Http1DecoderConfig(60, 100, false, "", false, false, false, Underscores.ALLOW);

  public Http1DecoderConfig {
    java.util.Objects.requireNonNull(underscores, "underscores");
    if (maxRequestHeadersKb < 1 || maxRequestHeadersKb > 8192) {
      throw new IllegalArgumentException(
          "maxRequestHeadersKb: " + maxRequestHeadersKb + " (expected: 1-8192)");
    }
    if (maxHeadersCount < 1) {
      throw new IllegalArgumentException(
          "maxHeadersCount: " + maxHeadersCount + " (expected: >= 1)");
    }
    if (!RequestTarget.isAuthority(defaultHostForHttp10, 0, defaultHostForHttp10.length(), false)) {
      throw new IllegalArgumentException(
          "defaultHostForHttp10: '" + defaultHostForHttp10 + "' (expected: host[:port])");
    }
  }

  /**
   * Translates the HTTP/1 fields of an {@code HttpConnectionManager}: {@code
   * max_request_headers_kb} (null when unset), {@code max_headers_count} and {@code
   * headers_with_underscores_action} of {@code common_http_protocol_options}, and the {@code
   * http_protocol_options} message, which this checks with {@link SupportedFields}. The caller
   * checks the connection manager and {@code common_http_protocol_options} messages themselves,
   * listing the fields read here as supported.
   *
   * @param hcmPath the path of the HttpConnectionManager, for problem messages
   */
  public static Http1DecoderConfig compile(
      UInt32Value maxRequestHeadersKb,
      HttpProtocolOptions common,
      Http1ProtocolOptions options,
      ConfigPath hcmPath,
      ConfigProblems problems) {
    UInt32Value maxHeadersCount = common.hasMaxHeadersCount() ? common.getMaxHeadersCount() : null;
    int kb = DEFAULTS.maxRequestHeadersKb();
    if (maxRequestHeadersKb != null) {
      kb = maxRequestHeadersKb.getValue();
      if (kb < 1 || kb > 8192) {
        problems.add(
            hcmPath.field("max_request_headers_kb"), kb + " is out of range (expected: 1-8192)");
        kb = DEFAULTS.maxRequestHeadersKb();
      }
    }
    int count = DEFAULTS.maxHeadersCount();
    if (maxHeadersCount != null) {
      count = maxHeadersCount.getValue();
      if (count < 1) {
        problems.add(
            hcmPath.field("common_http_protocol_options").field("max_headers_count"),
            count + " is out of range (expected: >= 1)");
        count = DEFAULTS.maxHeadersCount();
      }
    }
    ConfigPath path = hcmPath.field("http_protocol_options");
    SupportedFields.check(
        options,
        path,
        problems,
        "allow_absolute_url",
        "accept_http_10",
        "default_host_for_http_10",
        "enable_trailers",
        "allow_chunked_length",
        "override_stream_error_on_invalid_http_message",
        "allow_custom_methods");
    if (options.hasAllowAbsoluteUrl() && !options.getAllowAbsoluteUrl().getValue()) {
      problems.unsupported(path.field("allow_absolute_url"), "false");
    }
    if (options.hasOverrideStreamErrorOnInvalidHttpMessage()
        && options.getOverrideStreamErrorOnInvalidHttpMessage().getValue()) {
      // weft always closes the connection after a protocol error, as Envoy does by default
      problems.unsupported(path.field("override_stream_error_on_invalid_http_message"), "true");
    }
    String defaultHost = options.getDefaultHostForHttp10();
    if (!RequestTarget.isAuthority(defaultHost, 0, defaultHost.length(), false)) {
      problems.add(
          path.field("default_host_for_http_10"),
          "'" + defaultHost + "' is not a valid host[:port]");
      defaultHost = "";
    }
    Underscores underscores =
        switch (common.getHeadersWithUnderscoresAction()) {
          case ALLOW -> Underscores.ALLOW;
          case REJECT_REQUEST -> Underscores.REJECT_REQUEST;
          case DROP_HEADER -> Underscores.DROP_HEADER;
          case UNRECOGNIZED -> {
            problems.unsupported(
                hcmPath
                    .field("common_http_protocol_options")
                    .field("headers_with_underscores_action"),
                common.getHeadersWithUnderscoresActionValue());
            yield Underscores.ALLOW;
          }
        };
    return new Http1DecoderConfig(
        kb,
        count,
        options.getAcceptHttp10(),
        defaultHost,
        options.getAllowChunkedLength(),
        options.getEnableTrailers(),
        options.getAllowCustomMethods(),
        underscores);
  }

  /**
   * As {@link #compile(UInt32Value, HttpProtocolOptions, Http1ProtocolOptions, ConfigPath,
   * ConfigProblems)} for a caller that reads only {@code max_headers_count} of {@code
   * common_http_protocol_options} (null when unset) and refuses its other fields itself.
   */
  public static Http1DecoderConfig compile(
      UInt32Value maxRequestHeadersKb,
      UInt32Value maxHeadersCount,
      Http1ProtocolOptions options,
      ConfigPath hcmPath,
      ConfigProblems problems) {
    HttpProtocolOptions.Builder common = HttpProtocolOptions.newBuilder();
    if (maxHeadersCount != null) {
      common.setMaxHeadersCount(maxHeadersCount);
    }
    return compile(maxRequestHeadersKb, common.build(), options, hcmPath, problems);
  }

  public Http1DecoderConfig withLimits(int maxRequestHeadersKb, int maxHeadersCount) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        acceptHttp10,
        defaultHostForHttp10,
        allowChunkedLength,
        enableTrailers,
        allowCustomMethods,
        underscores);
  }

  public Http1DecoderConfig withHttp10(boolean accept, String defaultHost) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        accept,
        defaultHost,
        allowChunkedLength,
        enableTrailers,
        allowCustomMethods,
        underscores);
  }

  public Http1DecoderConfig withAllowChunkedLength(boolean allow) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        acceptHttp10,
        defaultHostForHttp10,
        allow,
        enableTrailers,
        allowCustomMethods,
        underscores);
  }

  public Http1DecoderConfig withEnableTrailers(boolean enable) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        acceptHttp10,
        defaultHostForHttp10,
        allowChunkedLength,
        enable,
        allowCustomMethods,
        underscores);
  }

  public Http1DecoderConfig withAllowCustomMethods(boolean allow) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        acceptHttp10,
        defaultHostForHttp10,
        allowChunkedLength,
        enableTrailers,
        allow,
        underscores);
  }

  public Http1DecoderConfig withUnderscores(Underscores action) {
    return new Http1DecoderConfig(
        maxRequestHeadersKb,
        maxHeadersCount,
        acceptHttp10,
        defaultHostForHttp10,
        allowChunkedLength,
        enableTrailers,
        allowCustomMethods,
        action);
  }

  int maxHeadBytes() {
    return maxRequestHeadersKb * 1024;
  }
}
