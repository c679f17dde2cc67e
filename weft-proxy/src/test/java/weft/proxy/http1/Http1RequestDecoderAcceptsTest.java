package weft.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.proxy.http1.Http1Request.Framing;
import weft.proxy.http1.Http1Request.TargetForm;

/**
 * Valid but unusual requests the decoder must accept (over-rejection checks), and the canonical
 * form it emits them in. Rows cite the RFC 9112 / RFC 9110 section that makes them valid.
 */
class Http1RequestDecoderAcceptsTest {
  private static final String H = "Host: svc.test\r\n";

  static Stream<Arguments> bodies() {
    return Stream.of(
        body("§6.3 no framing: no body", "GET /a HTTP/1.1\r\n" + H + "\r\n", "GET", "/a", ""),
        body("§6.2 Content-Length body", "PUT /a HTTP/1.1\r\n" + H + "Content-Length: 5\r\n\r\nabcde", "PUT", "/a", "abcde"),
        body("RFC 9110 §8.6 leading zeros are decimal", "POST /a HTTP/1.1\r\n" + H + "Content-Length: 0012\r\n\r\n0123456789ab", "POST", "/a", "0123456789ab"),
        body("RFC 9110 §9.3.1 GET may carry a body", "GET /a HTTP/1.1\r\n" + H + "Content-Length: 3\r\n\r\nxyz", "GET", "/a", "xyz"),
        body("§7.1 chunked body of two chunks", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", "POST", "/c", "abcde"),
        body("§7.1 hex digits are case-insensitive, zero-padded", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n00b\r\nhello world\r\n000\r\n\r\n", "POST", "/c", "hello world"),
        body("§7.1 upper-case hex", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", "POST", "/c", "0123456789"),
        body("§7.1.1 extensions with token and quoted values", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2 ; a = b ;c;d=\"q \\\" ;x\"\r\nok\r\n0;last\r\n\r\n", "POST", "/c", "ok"),
        body("RFC 9110 §5.6.3 HTAB is OWS before the coding", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding:\tchunked\t\r\n\r\n1\r\nz\r\n0\r\n\r\n", "POST", "/c", "z"),
        body("§7 coding names are case-insensitive", "POST /c HTTP/1.1\r\n" + H + "tRANSFER-eNCODING: ChUnKeD\r\n\r\n1\r\nz\r\n0\r\n\r\n", "POST", "/c", "z"),
        body("RFC 9110 §5.6.1 empty list elements are ignored", "POST /c HTTP/1.1\r\n" + H + "Transfer-Encoding: , chunked,\r\n\r\n1\r\nz\r\n0\r\n\r\n", "POST", "/c", "z"),
        body("§2.2 empty lines before the request-line are ignored", "\r\n\r\nGET /late HTTP/1.1\r\n" + H + "\r\n", "GET", "/late", ""),
        body("§3 any token is a method", "PURGE /cache HTTP/1.1\r\n" + H + "\r\n", "PURGE", "/cache", ""),
        body("§3.2.4 OPTIONS with asterisk-form", "OPTIONS * HTTP/1.1\r\n" + H + "\r\n", "OPTIONS", "*", ""),
        body("§3.2 origin-form keeps its query", "GET /p/q?x=1&y=%20 HTTP/1.1\r\n" + H + "\r\n", "GET", "/p/q?x=1&y=%20", ""),
        body("§2.3 HTTP/1.9 is processed as HTTP/1.1", "GET /v HTTP/1.9\r\n" + H + "\r\n", "GET", "/v", ""));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bodies")
  void decodesTheRequestAndItsBody(String rule, String raw, String method, String uri, String body) {
    Decoded d = Decoded.of(raw);
    assertThat(d.error()).as(rule).isNull();
    assertThat(d.requests()).as(rule).hasSize(1);
    Decoded.Request r = d.requests().get(0);
    assertThat(r.method()).isEqualTo(method);
    assertThat(r.uri()).isEqualTo(uri);
    assertThat(r.body()).isEqualTo(body);
    assertThat(r.version()).isEqualTo("HTTP/1.1");
  }

  @Test
  void namesAreLowerCasedAndValuesTrimmedOfOws() {
    Decoded d = Decoded.of("GET / HTTP/1.1\r\nHOST: svc.test\r\nX-Thing:  \t a  b \t\r\n\r\n");
    assertThat(d.requests().get(0).headers()).containsExactly("host: svc.test", "x-thing: a  b");
  }

  @Test
  void obsTextInValuesSurvivesByteForByte() {
    // RFC 9110 §5.5: field-vchar includes obs-text (%x80-FF)
    Decoded d = Decoded.of("GET / HTTP/1.1\r\n" + H + "X-Name: Jos\u00e9\u00ff\r\n\r\n");
    Http1Request head = d.requests().get(0).head();
    assertThat(head.headers().get("x-name")).isEqualTo("Jos\u00e9\u00ff");
  }

  @Test
  void absoluteFormBecomesOriginFormAndReplacesHost() {
    // RFC 9112 §3.2.2: a proxy MUST ignore the received Host and use the target's authority
    Decoded d = Decoded.of("GET HTTP://Abs.Test:8080?q=1 HTTP/1.1\r\nHost: elsewhere.test\r\n\r\n");
    Decoded.Request r = d.requests().get(0);
    assertThat(r.uri()).isEqualTo("/?q=1");
    assertThat(r.header("host")).containsExactly("Abs.Test:8080");
    assertThat(r.head().targetForm()).isEqualTo(TargetForm.ABSOLUTE);
    assertThat(r.head().absoluteScheme()).contains("http");
  }

  @Test
  void connectTakesAuthorityFormAndHoldsTheTunnelBytes() {
    Decoded d = Decoded.of("CONNECT svc.test:443 HTTP/1.1\r\n" + H + "\r\n\u0016\u0003\u0001garbage");
    assertThat(d.error()).isNull();
    Decoded.Request r = d.requests().get(0);
    assertThat(r.uri()).isEqualTo("svc.test:443");
    assertThat(r.head().targetForm()).isEqualTo(TargetForm.AUTHORITY);
    assertThat(r.head().isUpgrade()).isTrue();
  }

  @Test
  void chunkedWithContentLengthIsFramedByChunkedWhenAllowed() {
    Http1DecoderConfig allow = Http1DecoderConfig.DEFAULTS.withAllowChunkedLength(true);
    Decoded d = Decoded.of(allow, "POST / HTTP/1.1\r\n" + H + "Content-Length: 99\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"
        + "GET /next HTTP/1.1\r\n" + H + "\r\n");
    Decoded.Request r = d.requests().get(0);
    assertThat(r.body()).isEqualTo("ok");
    assertThat(r.header("content-length")).isEmpty();
    assertThat(r.head().framing()).isEqualTo(Framing.CHUNKED);
    // RFC 9112 §6.3 item 3: the server MUST close after responding to such a request
    assertThat(r.header("connection")).containsExactly("close");
    assertThat(d.requests()).hasSize(1);
  }

  @Test
  void http10IsAcceptedWhenConfiguredAndHostIsOptional() {
    Http1DecoderConfig http10 = Http1DecoderConfig.DEFAULTS.withHttp10(true, "");
    Decoded d = Decoded.of(http10, "GET /old HTTP/1.0\r\n\r\nGET /never HTTP/1.0\r\n\r\n");
    // RFC 9112 §9.3: an HTTP/1.0 request without keep-alive ends the connection
    assertThat(d.requests()).extracting(Decoded.Request::uri).containsExactly("/old");
    assertThat(d.requests().get(0).version()).isEqualTo("HTTP/1.0");
  }

  @Test
  void framingHeadersAreCanonical() {
    Decoded d = Decoded.of("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: ,chunked\r\n\r\n0\r\n\r\n"
        + "POST / HTTP/1.1\r\n" + H + "Content-Length: 003\r\n\r\nabc");
    assertThat(d.requests().get(0).header("transfer-encoding")).containsExactly("chunked");
    assertThat(d.requests().get(0).head().framing()).isEqualTo(Framing.CHUNKED);
    assertThat(d.requests().get(1).header("content-length")).containsExactly("3");
    assertThat(d.requests().get(1).head().contentLength()).isEqualTo(3);
  }

  @Test
  void trailersAreCheckedButDroppedUnlessEnabledAsInEnvoy() {
    Decoded d = Decoded.of("POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n1\r\nz\r\n0\r\nA: b\r\n\r\n");
    assertThat(d.requests().get(0).trailers()).isEmpty();
    assertThat(d.requests().get(0).body()).isEqualTo("z");
  }

  @Test
  void http10WithoutHostGetsTheConfiguredDefaultHost() {
    Http1DecoderConfig http10 = Http1DecoderConfig.DEFAULTS.withHttp10(true, "fallback.test:8080");
    Decoded d = Decoded.of(http10, "GET / HTTP/1.0\r\n\r\n");
    assertThat(d.requests().get(0).header("host")).containsExactly("fallback.test:8080");
  }

  @Test
  void underscoreNamesFollowEnvoysHeadersWithUnderscoresAction() {
    String raw = "POST / HTTP/1.1\r\n" + H + "X_Tenant: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT_x: 1\r\nT: 2\r\n\r\n";
    Http1DecoderConfig trailers = Http1DecoderConfig.DEFAULTS.withEnableTrailers(true);
    Decoded allowed = Decoded.of(trailers, raw);
    assertThat(allowed.requests().get(0).header("x_tenant")).containsExactly("a");
    assertThat(allowed.requests().get(0).trailers()).containsExactly("t_x: 1", "t: 2");
    Decoded dropped = Decoded.of(trailers.withUnderscores(Http1DecoderConfig.Underscores.DROP_HEADER), raw);
    assertThat(dropped.requests().get(0).header("x_tenant")).isEmpty();
    assertThat(dropped.requests().get(0).trailers()).containsExactly("t: 2");
    Decoded rejected = Decoded.of(trailers.withUnderscores(Http1DecoderConfig.Underscores.REJECT_REQUEST), raw);
    assertThat(rejected.error()).isEqualTo(new Http1ProtocolError(400, "http1.unexpected_underscore"));
    assertThat(rejected.requests()).isEmpty();
  }

  @Test
  void customMethodsPassWhenAllowed() {
    Http1DecoderConfig custom = Http1DecoderConfig.DEFAULTS.withAllowCustomMethods(true);
    Decoded d = Decoded.of(custom, "BREW /pot HTTP/1.1\r\n" + H + "\r\n");
    assertThat(d.requests().get(0).method()).isEqualTo("BREW");
  }

  @Test
  void trailersArriveOnTheLastContentAndFramingFieldsAmongThemAreDropped() {
    Decoded d = Decoded.of(Http1DecoderConfig.DEFAULTS.withEnableTrailers(true), "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n"
        + "1\r\nz\r\n0\r\nChecksum: abc\r\nContent-Length: 5\r\nX-Note:GET /x HTTP/1.1\r\n\r\n");
    assertThat(d.requests().get(0).trailers()).containsExactly("checksum: abc", "x-note: GET /x HTTP/1.1");
  }

  @Test
  void h2cUpgradeHeadersAreStripped() {
    // Envoy removes h2c upgrades in its HTTP/1 codec; weft never switches to h2c either
    Decoded d = Decoded.of("GET / HTTP/1.1\r\n" + H + "Connection: Upgrade, HTTP2-Settings, keep-alive\r\n"
        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n\r\n");
    Decoded.Request r = d.requests().get(0);
    assertThat(r.headers()).containsExactly("host: svc.test", "connection: keep-alive");
    assertThat(r.head().isUpgrade()).isFalse();
  }

  @Test
  void websocketUpgradeIsPassedOnAndFurtherBytesAreHeld() {
    Decoded d = Decoded.of("GET /ws HTTP/1.1\r\n" + H + "Connection: upgrade\r\nUpgrade: websocket\r\n\r\n"
        + "GET /next HTTP/1.1\r\n" + H + "\r\n");
    assertThat(d.requests()).extracting(Decoded.Request::uri).containsExactly("/ws");
    assertThat(d.requests().get(0).head().isUpgrade()).isTrue();
    assertThat(d.requests().get(0).header("upgrade")).containsExactly("websocket");
  }

  @Test
  void connectionNominatedFieldsAreRemovedButFramingStays() {
    // RFC 9110 §7.6.1; the body stays framed by the Content-Length the connection nominated
    Decoded d = Decoded.of("POST / HTTP/1.1\r\n" + H + "Connection: Content-Length, X-Hop, close\r\n"
        + "X-Hop: 1\r\nContent-Length: 3\r\n\r\nabc");
    Decoded.Request r = d.requests().get(0);
    assertThat(r.headers())
        .containsExactlyInAnyOrder("host: svc.test", "connection: close", "content-length: 3");
    assertThat(r.body()).isEqualTo("abc");
  }

  @Test
  void pipelinedRequestsAllDecodeInOrder() {
    Decoded d = Decoded.of("GET /1 HTTP/1.1\r\n" + H + "\r\n"
        + "POST /2 HTTP/1.1\r\n" + H + "Content-Length: 2\r\n\r\nhi"
        + "POST /3 HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n2\r\nyo\r\n0\r\n\r\n"
        + "GET /4 HTTP/1.1\r\n" + H + "\r\n");
    assertThat(d.requests()).extracting(Decoded.Request::uri).containsExactly("/1", "/2", "/3", "/4");
    assertThat(d.requests()).extracting(Decoded.Request::body).containsExactly("", "hi", "yo", "");
  }

  @Test
  void aBadRequestAfterGoodOnesStopsDecodingThere() {
    Decoded d = Decoded.of("GET /1 HTTP/1.1\r\n" + H + "\r\nGET /2 HTTP/1.1\r\n\r\nGET /3 HTTP/1.1\r\n" + H + "\r\n");
    assertThat(d.requests()).extracting(Decoded.Request::uri).containsExactly("/1");
    assertThat(d.error()).isEqualTo(new Http1ProtocolError(400, "missing_host_header"));
  }

  @Test
  void closeRequestEndsDecoding() {
    Decoded d = Decoded.of("GET /1 HTTP/1.1\r\n" + H + "Connection: close\r\n\r\nGET /2 HTTP/1.1\r\n" + H + "\r\n");
    assertThat(d.requests()).extracting(Decoded.Request::uri).containsExactly("/1");
    assertThat(d.error()).isNull();
    assertThat(d.unfinished()).isFalse();
  }

  @Test
  void expectIsPassedOnForTheManager() {
    Decoded d = Decoded.of("POST / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\n");
    assertThat(d.unfinished()).isTrue();
    assertThat(d.requests()).isEmpty();
    assertThat(Decoded.of("POST / HTTP/1.1\r\n" + H + "Expect: 100-continue\r\nContent-Length: 2\r\n\r\nok")
        .requests().get(0).header("expect")).containsExactly("100-continue");
  }

  @Test
  void limitsAnswer431() {
    String big = "GET / HTTP/1.1\r\n" + H + "X-Big: " + "a".repeat(61 * 1024) + "\r\n\r\n";
    assertThat(Decoded.of(big).error()).isEqualTo(new Http1ProtocolError(431, "http1.headers_too_large"));
    String longUrl = "GET /" + "a".repeat(61 * 1024) + " HTTP/1.1\r\n" + H + "\r\n";
    assertThat(Decoded.of(longUrl).error()).isEqualTo(new Http1ProtocolError(431, "http1.headers_too_large"));
    StringBuilder many = new StringBuilder("GET / HTTP/1.1\r\n" + H);
    for (int i = 0; i < 100; i++) {
      many.append("X-").append(i).append(": v\r\n");
    }
    assertThat(Decoded.of(many + "\r\n").error()).isEqualTo(new Http1ProtocolError(431, "http1.too_many_headers"));
    // exactly at the limits is fine: 100 fields
    StringBuilder hundred = new StringBuilder("GET / HTTP/1.1\r\n" + H);
    for (int i = 0; i < 99; i++) {
      hundred.append("X-").append(i).append(": v\r\n");
    }
    assertThat(Decoded.of(hundred + "\r\n").requests()).hasSize(1);
  }

  @Test
  void oversizedHeadIsRefusedBeforeItsEndArrives() {
    // the decoder must not buffer without bound while waiting for a line end
    Decoded d = Decoded.of(Http1DecoderConfig.DEFAULTS,
        List.of(("GET / HTTP/1.1\r\nX: " + "a".repeat(70 * 1024)).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)));
    assertThat(d.error()).isEqualTo(new Http1ProtocolError(431, "http1.headers_too_large"));
  }

  @Test
  void removingTheDecoderAfterAnUpgradeHandsTheHeldBytesOn() {
    EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
    ch.writeInbound(Unpooled.copiedBuffer(
        "GET /ws HTTP/1.1\r\n" + H + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\nframe-1", StandardCharsets.ISO_8859_1));
    Http1Request head = ch.readInbound();
    assertThat(head.isUpgrade()).isTrue();
    LastHttpContent end = ch.readInbound();
    end.release();
    ch.writeInbound(Unpooled.copiedBuffer("frame-2", StandardCharsets.ISO_8859_1));
    assertThat((Object) ch.readInbound()).isNull();
    ch.pipeline().removeFirst();
    ByteBuf held = ch.readInbound();
    assertThat(held.toString(StandardCharsets.ISO_8859_1)).isEqualTo("frame-1frame-2");
    held.release();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  @Test
  void bodiesStreamAsTheyArriveWithoutWaitingForTheWholeChunk() {
    EmbeddedChannel ch = new EmbeddedChannel(new Http1RequestDecoder());
    ch.writeInbound(Unpooled.copiedBuffer(
        "POST / HTTP/1.1\r\n" + H + "Transfer-Encoding: chunked\r\n\r\n10\r\n01234", StandardCharsets.ISO_8859_1));
    Http1Request head = ch.readInbound();
    assertThat(head.framing()).isEqualTo(Framing.CHUNKED);
    HttpContent part = ch.readInbound();
    assertThat(part.content().toString(StandardCharsets.ISO_8859_1)).isEqualTo("01234");
    assertThat(part).isNotInstanceOf(LastHttpContent.class);
    part.release();
    assertThat(ch.finishAndReleaseAll()).isFalse();
  }

  private static Arguments body(String rule, String raw, String method, String uri, String body) {
    return arguments(rule, raw, method, uri, body);
  }
}
