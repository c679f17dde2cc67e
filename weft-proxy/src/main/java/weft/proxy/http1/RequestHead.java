package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A request head while its field lines arrive: the parsed request-line, the headers so far, and
 * what the framing and Host rules need, gathered as the lines go by so that completing the head
 * needs no header look-ups. Mutable; one per request, on the event loop.
 */
final class RequestHead {
  private static final Http1ProtocolError MALFORMED = FieldLine.MALFORMED;
  private static final Http1ProtocolError BAD_TARGET =
      new Http1ProtocolError(400, Http1RequestDecoder.INVALID_URL);
  private static final Http1ProtocolError LOW_VERSION =
      new Http1ProtocolError(426, Http1RequestDecoder.LOW_VERSION);
  private static final Http1ProtocolError TOO_MANY =
      new Http1ProtocolError(431, Http1RequestDecoder.TOO_MANY_HEADERS);
  static final Http1ProtocolError UNDERSCORE =
      new Http1ProtocolError(400, "http1.unexpected_underscore");
  private static final RequestHead MALFORMED_HEAD = new RequestHead(MALFORMED);
  private static final RequestHead BAD_TARGET_HEAD = new RequestHead(BAD_TARGET);
  private static final RequestHead LOW_VERSION_HEAD = new RequestHead(LOW_VERSION);

  final HttpMethod method;
  final HttpVersion version;
  final RequestTarget target;
  final HttpHeaders headers;
  private final Http1ProtocolError error;

  int fieldCount;
  int hostCount;
  AsciiString host;
  int contentLengthCount;
  AsciiString contentLength;

  /** Values of the Transfer-Encoding field lines, null when there is none. */
  List<AsciiString> transferEncodings;

  boolean hasConnection;
  boolean hasUpgrade;

  private RequestHead(HttpMethod method, HttpVersion version, RequestTarget target) {
    this.method = method;
    this.version = version;
    this.target = target;
    this.headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
    this.error = null;
  }

  private RequestHead(Http1ProtocolError error) {
    this.method = null;
    this.version = null;
    this.target = null;
    this.headers = null;
    this.error = error;
  }

  Http1ProtocolError error() {
    return error;
  }

  /**
   * RFC 9112 §3: {@code request-line = method SP request-target SP HTTP-version}, single spaces,
   * over {@code in[start, start+len)} without its CRLF. Returns a head whose {@link #error()} is
   * set when the line is refused.
   */
  static RequestHead parseRequestLine(ByteBuf in, int start, int len, Http1DecoderConfig config) {
    int end = start + len;
    int i = start;
    while (i < end && HttpChars.isTchar(in.getByte(i))) {
      i++;
    }
    if (i == start || i == end || in.getByte(i) != ' ') {
      return MALFORMED_HEAD;
    }
    int methodEnd = i;
    int targetStart = i + 1;
    int t = targetStart;
    while (t < end && in.getByte(t) != ' ') {
      if (!HttpChars.isTargetChar(in.getByte(t))) {
        return MALFORMED_HEAD;
      }
      t++;
    }
    if (t == targetStart) {
      return MALFORMED_HEAD;
    }
    if (t == end) {
      // "GET /": an HTTP/0.9 simple request; refused like HTTP/1.0 (Envoy: 426)
      return LOW_VERSION_HEAD;
    }
    // RFC 9112 §2.3: HTTP-version = "HTTP/" DIGIT "." DIGIT, case-sensitive
    int v = t + 1;
    if (end - v != 8
        || in.getByte(v) != 'H'
        || in.getByte(v + 1) != 'T'
        || in.getByte(v + 2) != 'T'
        || in.getByte(v + 3) != 'P'
        || in.getByte(v + 4) != '/'
        || !isDigit(in.getByte(v + 5))
        || in.getByte(v + 6) != '.'
        || !isDigit(in.getByte(v + 7))) {
      return MALFORMED_HEAD;
    }
    int major = in.getByte(v + 5) - '0';
    int minor = in.getByte(v + 7) - '0';
    HttpVersion version;
    if (major == 2 && minor == 0 && isPri(in, start, methodEnd - start)) {
      // RFC 9113 §3.4: the HTTP/2 connection preface is no HTTP/1 request at all (Envoy: 400)
      return MALFORMED_HEAD;
    }
    if (major != 1) {
      // HTTP/0.x and HTTP/2+ on an HTTP/1 codec: Envoy treats any version but 1.1 as 1.0 (426)
      return LOW_VERSION_HEAD;
    } else if (minor == 0) {
      if (!config.acceptHttp10()) {
        return LOW_VERSION_HEAD;
      }
      version = HttpVersion.HTTP_1_0;
    } else {
      // RFC 9112 §2.3: a higher minor version is processed as the highest one implemented
      version = HttpVersion.HTTP_1_1;
    }
    HttpMethod method =
        KnownMethods.lookup(in, start, methodEnd - start, config.allowCustomMethods());
    if (method == null) {
      return MALFORMED_HEAD;
    }
    String raw = in.toString(targetStart, t - targetStart, StandardCharsets.ISO_8859_1);
    RequestTarget target =
        RequestTarget.parse(raw, method == HttpMethod.CONNECT, method == HttpMethod.OPTIONS);
    if (target == null) {
      return BAD_TARGET_HEAD;
    }
    return new RequestHead(method, version, target);
  }

  /**
   * Adds the field line {@code in[start, start+len)}; returns the error that refuses it, or null.
   */
  Http1ProtocolError addField(ByteBuf in, int start, int len, Http1DecoderConfig config) {
    if (++fieldCount > config.maxHeadersCount()) {
      return TOO_MANY;
    }
    FieldLine field = FieldLine.parse(in, start, len);
    if (field.error() != null) {
      return field.error();
    }
    if (field.underscore()) {
      switch (config.underscores()) {
        case ALLOW -> {}
        case REJECT_REQUEST -> {
          return UNDERSCORE;
        }
        case DROP_HEADER -> {
          return null;
        }
      }
    }
    switch (HeaderNames.id(field.knownIndex())) {
      case HeaderNames.HOST -> {
        hostCount++;
        host = field.value();
      }
      case HeaderNames.CONTENT_LENGTH -> {
        contentLengthCount++;
        contentLength = field.value();
      }
      case HeaderNames.TRANSFER_ENCODING -> {
        if (transferEncodings == null) {
          transferEncodings = new ArrayList<>(2);
        }
        transferEncodings.add(field.value());
      }
      case HeaderNames.CONNECTION -> hasConnection = true;
      case HeaderNames.UPGRADE -> hasUpgrade = true;
      default -> {}
    }
    try {
      headers.add(field.name(), field.value());
    } catch (IllegalArgumentException e) {
      // Netty's own header validation; the checks above are stricter, so this is a safety net
      return FieldLine.BAD_VALUE;
    }
    return null;
  }

  private static boolean isPri(ByteBuf in, int start, int len) {
    return len == 3
        && in.getByte(start) == 'P'
        && in.getByte(start + 1) == 'R'
        && in.getByte(start + 2) == 'I';
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
