package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Input the decoder must refuse, one row per rule: the row names the rule and where it is written
 * (RFC 9112 / RFC 9110 section, or the Envoy default it follows). Each row checks the status and
 * Envoy response-code details, and that no request reached the caller.
 */
class Http1RequestDecoderRejectsTest {
  private static final String H = "Host: svc.test\r\n";

  static Stream<Arguments> malformed() {
    return Stream.of(
        // --- request-line, RFC 9112 §3
        row("Envoy allow_custom_methods=false: unknown method", "BREW /pot HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 methods are case-sensitive", "get / HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 method must be a token", "G@T / HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 exactly one SP after the method", "GET  / HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 HTAB is not a request-line separator", "GET\t/ HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 exactly one SP before the version", "GET /  HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 nothing after the version", "GET / HTTP/1.1 \r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3 line of one word", "PING\r\n\r\n", 400, "http1.codec_error"),
        row("§3 request-line starting with SP", " GET / HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3.2 CTL in request-target", "GET /a\u0001b HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3.2 obs-text in request-target", "GET /caf\u00e9 HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3.2 fragment is never sent", "GET /a#frag HTTP/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§3.2 target in no known form", "GET index.html HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("§3.2.2 absolute-form needs a host", "GET http:///x HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("§3.2.2 only http(s) is proxied", "GET ftp://svc.test/x HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("RFC 9110 §4.2.4 userinfo in absolute-form", "GET http://u:p@svc.test/ HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("§3.2.3 CONNECT needs host:port", "CONNECT svc.test HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("§3.2.3 CONNECT refuses origin-form", "CONNECT /x HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        row("§3.2.4 asterisk-form only for OPTIONS", "GET * HTTP/1.1\r\n" + H + "\r\n", 400, "http1.invalid_url"),
        // --- version, RFC 9112 §2.3 and Envoy's accept_http_10 default
        row("§2.3 version is HTTP/DIGIT.DIGIT", "GET / HTTP/1.10\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§2.3 version name is case-sensitive", "GET / http/1.1\r\n" + H + "\r\n", 400, "http1.codec_error"),
        row("Envoy accept_http_10=false answers 426", "GET / HTTP/1.0\r\n" + H + "\r\n", 426, "low_version"),
        row("HTTP/0.9 simple request is refused", "GET /\r\n\r\n", 426, "low_version"),
        row("HTTP/2 on the HTTP/1 codec is refused", "GET / HTTP/2.0\r\n" + H + "\r\n", 426, "low_version"),
        row("RFC 9113 §3.4 h2 preface is no HTTP/1 request", "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "http1.codec_error"),
        // --- line terminators, RFC 9112 §2.2
        row("§2.2 bare LF ends no line", "GET / HTTP/1.1\n" + H + "\r\n", 400, "http1.codec_error"),
        row("§2.2 bare LF inside the field section", "GET / HTTP/1.1\r\n" + H + "A: 1\nB: 2\r\n\r\n", 400, "http1.codec_error"),
        row("§2.2 bare CR in a field value", "GET / HTTP/1.1\r\n" + H + "A: 1\r2\r\n\r\n", 400, "http1.codec_error"),
        row("§2.2 CR not followed by LF ends the section", "GET / HTTP/1.1\r\n" + H + "\rX\r\n\r\n", 400, "http1.codec_error"),
        row("§2.2 bare LF as the empty line", "GET / HTTP/1.1\r\n" + H + "\n", 400, "http1.codec_error"),
        // --- field lines, RFC 9112 §5 and RFC 9110 §5
        row("§5.1 no whitespace between name and colon", "GET / HTTP/1.1\r\n" + H + "Accept : */*\r\n\r\n", 400, "http1.codec_error"),
        row("§5.1 field line without a colon", "GET / HTTP/1.1\r\n" + H + "Accept */*\r\n\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §5.1 empty field name", "GET / HTTP/1.1\r\n" + H + ": x\r\n\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §5.1 field name must be a token", "GET / HTTP/1.1\r\n" + H + "a(b): x\r\n\r\n", 400, "http1.codec_error"),
        row("§5.2 obs-fold is refused", "GET / HTTP/1.1\r\n" + H + "A: 1\r\n 2\r\n\r\n", 400, "http1.codec_error"),
        row("§2.2 whitespace before the first field", "GET / HTTP/1.1\r\n\t" + H + "\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §5.5 NUL in a value", "GET / HTTP/1.1\r\n" + H + "A: x\u0000y\r\n\r\n", 400, "http1.invalid_characters"),
        row("RFC 9110 §5.5 DEL in a value", "GET / HTTP/1.1\r\n" + H + "A: x\u007fy\r\n\r\n", 400, "http1.invalid_characters"),
        row("RFC 9110 §5.5 ESC in a value", "GET / HTTP/1.1\r\n" + H + "A: \u001b[0m\r\n\r\n", 400, "http1.invalid_characters"),
        // --- Host, RFC 9112 §3.2
        row("§3.2 HTTP/1.1 without Host", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, "missing_host_header"),
        row("§3.2 two Host lines", "GET / HTTP/1.1\r\n" + H + "Host: other.test\r\n\r\n", 400, "http.invalid_authority"),
        row("§3.2 Host with a path", "GET / HTTP/1.1\r\nHost: svc.test/evil\r\n\r\n", 400, "http.invalid_authority"),
        row("§3.2 Host with a bad port", "GET / HTTP/1.1\r\nHost: svc.test:80x\r\n\r\n", 400, "http.invalid_authority"),
        row("§3.2 Host with userinfo", "GET / HTTP/1.1\r\nHost: me@svc.test\r\n\r\n", 400, "http.invalid_authority"),
        // --- Content-Length, RFC 9110 §8.6 and RFC 9112 §6.3
        row("RFC 9110 §8.6 sign before the length", "POST / HTTP/1.1\r\n" + H + "Content-Length: +3\r\n\r\nabc", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 negative length", "POST / HTTP/1.1\r\n" + H + "Content-Length: -3\r\n\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 hex length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 0x3\r\n\r\nabc", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 empty length", "POST / HTTP/1.1\r\n" + H + "Content-Length:\r\n\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 space inside the length", "POST / HTTP/1.1\r\n" + H + "Content-Length: 1 2\r\n\r\n", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 list of lengths", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3, 3\r\n\r\nabc", 400, "http1.codec_error"),
        row("§6.3 two differing lengths", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400, "http1.codec_error"),
        row("Envoy refuses even identical lengths", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nContent-Length: 3\r\n\r\nabc", 400, "http1.codec_error"),
        row("RFC 9110 §8.6 length overflowing 64 bits", "POST / HTTP/1.1\r\n" + H + "Content-Length: 18446744073709551617\r\n\r\n", 400, "http1.codec_error"),
        // --- Transfer-Encoding, RFC 9112 §6.1, §6.3, §7
        row("§6.1 Envoy refuses TE with CL", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n", 400, "http1.content_length_and_chunked_not_allowed"),
        row("§6.1 CL before TE is refused too", "POST / HTTP/1.1\r\n" + H + "Content-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400, "http1.content_length_and_chunked_not_allowed"),
        row("§6.3 chunked not final: Envoy answers 501", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§6.3 no chunked at all", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip\r\n\r\nabc", 501, "http1.invalid_transfer_encoding"),
        row("§7.1 chunked applied twice", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§6.1 empty Transfer-Encoding", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding:\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§6.1 coding with a non-token byte", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: \u00a0chunked\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§7 chunked takes no parameters", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked;q=1\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§6.1 unimplemented coding before chunked: 501", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("§6.1 Envoy: CONNECT with TE is 501", "CONNECT svc.test:443 HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 501, "http1.invalid_transfer_encoding"),
        row("RFC 9110 §9.3.6 CONNECT has no content", "CONNECT svc.test:443 HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nhi", 400, "http1.codec_error"),
        // --- chunked body, RFC 9112 §7.1
        row("§7.1 chunk-size must be hex", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\ng\r\n", 400, "http1.codec_error"),
        row("§7.1 no 0x prefix", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0x2\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 empty chunk-size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 chunk-size overflowing 64 bits", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1ffffffffffffffff\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 chunk-data longer than its size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 bare LF after chunk-data", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nab\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 bare LF after chunk-size", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1 whitespace after chunk-size without extension", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2 \r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.1 extension name must be a token", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;=v\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.1 extension value must be token or quoted", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;a=b=c\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.1 unterminated quoted extension", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;a=\"b\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.1 bare CR inside an extension", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2;a\rb\r\nab\r\n0\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.2 trailer without a colon", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nnot a field\r\n\r\n", 400, "http1.codec_error"),
        row("§7.1.2 trailer with a NUL", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: \u0000\r\n\r\n", 400, "http1.invalid_characters"),
        row("§7.1.2 obs-fold in trailers", "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\n 2\r\n\r\n", 400, "http1.codec_error"),
        // --- Connection, Envoy sanitizeConnectionHeader
        row("Envoy refuses nominating X-Forwarded-For", "GET / HTTP/1.1\r\n" + H + "Connection: x-forwarded-for\r\n\r\n", 400, "http1.connection_header_rejected"),
        row("nominating Host is refused", "GET / HTTP/1.1\r\n" + H + "Connection: host\r\n\r\n", 400, "http1.connection_header_rejected"),
        row("Envoy refuses ten nominated fields", "GET / HTTP/1.1\r\n" + H + "Connection: a, b, c, d, e, f, g, h, i, j\r\n\r\n", 400, "http1.connection_header_rejected"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformed")
  void refusesWithEnvoysStatusAndDetails(String rule, String raw, int status, String details) {
    Decoded d = Decoded.of(raw);
    assertThat(d.error()).as(rule).isEqualTo(new Http1ProtocolError(status, details));
    assertThat(d.requests()).as("requests before the error").isEmpty();
  }

  @Test
  void transferEncodingInHttp10IsFaultyFraming() {
    // RFC 9112 §6.1: an HTTP/1.0 message with Transfer-Encoding has faulty framing
    Http1DecoderConfig http10 = Http1DecoderConfig.DEFAULTS.withHttp10(true, "");
    Decoded d = Decoded.of(http10, "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
    assertThat(d.error()).isEqualTo(new Http1ProtocolError(400, "http1.invalid_transfer_encoding"));
  }

  @Test
  void nothingIsEmittedAfterTheErrorEvenInLaterReads() {
    EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
    ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\nBad Name: x\r\n", StandardCharsets.US_ASCII));
    assertThat((Object) ch.readInbound()).isEqualTo(new Http1ProtocolError(400, "http1.codec_error"));
    ch.writeInbound(Unpooled.copiedBuffer("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", StandardCharsets.US_ASCII));
    assertThat((Object) ch.readInbound()).isNull();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  private static Arguments row(String rule, String raw, int status, String details) {
    return arguments(rule, raw, status, details);
  }
}
