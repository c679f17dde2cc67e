package weft.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import weft.proxy.http1.Http1Request.Framing;
import weft.proxy.http1.Http1Request.TargetForm;

/**
 * The rules that need the whole header section: Host (RFC 9112 §3.2), message framing (RFC 9112
 * §6), the Connection header, and the absolute-form rewrite. Produces the canonical request head.
 */
final class RequestHeadRules {
  private RequestHeadRules() {}

  private static final Http1ProtocolError MISSING_HOST =
      new Http1ProtocolError(400, "missing_host_header");
  private static final Http1ProtocolError INVALID_HOST =
      new Http1ProtocolError(400, "http.invalid_authority");
  private static final Http1ProtocolError BAD_CONTENT_LENGTH =
      new Http1ProtocolError(400, Http1RequestDecoder.CODEC_ERROR);
  private static final Http1ProtocolError CHUNKED_WITH_LENGTH =
      new Http1ProtocolError(400, "http1.content_length_and_chunked_not_allowed");
  private static final Http1ProtocolError BAD_TRANSFER_ENCODING =
      new Http1ProtocolError(400, "http1.invalid_transfer_encoding");
  private static final Http1ProtocolError UNSUPPORTED_TRANSFER_ENCODING =
      new Http1ProtocolError(501, "http1.invalid_transfer_encoding");

  /** Returns the {@link Http1Request} for a complete head, or the {@link Http1ProtocolError}. */
  static Object complete(RequestHead head, Http1DecoderConfig config) {
    HttpHeaders headers = head.headers;
    // RFC 9112 §3.2: exactly one Host for HTTP/1.1, at most one otherwise, and a valid one
    if (head.hostCount > 1) {
      return INVALID_HOST;
    }
    if (head.hostCount == 0) {
      if (head.version == HttpVersion.HTTP_1_1) {
        return MISSING_HOST;
      }
      if (!config.defaultHostForHttp10().isEmpty()) {
        headers.set(HttpHeaderNames.HOST, config.defaultHostForHttp10());
      }
    }
    if (head.host != null && !RequestTarget.isAuthority(head.host, 0, head.host.length(), false)) {
      return INVALID_HOST;
    }

    Framing framing = Framing.NONE;
    long length = 0;
    boolean connect = head.method == HttpMethod.CONNECT;
    if (head.transferEncodings != null) {
      // RFC 9112 §6.1: Transfer-Encoding in HTTP/1.0 means faulty framing
      if (head.version == HttpVersion.HTTP_1_0) {
        return BAD_TRANSFER_ENCODING;
      }
      // RFC 9112 §6.1 lets a server process TE+CL by TE and then close; Envoy rejects it unless
      // allow_chunked_length, and so do we
      if (head.contentLengthCount > 0 && !config.allowChunkedLength()) {
        return CHUNKED_WITH_LENGTH;
      }
      // Envoy answers 501 for any Transfer-Encoding but chunked, malformed or merely unknown
      if (TransferCodings.judge(head.transferEncodings) != TransferCodings.CHUNKED) {
        return UNSUPPORTED_TRANSFER_ENCODING;
      }
      // Envoy: a CONNECT request has no body, so no coding for it is implemented
      if (connect) {
        return UNSUPPORTED_TRANSFER_ENCODING;
      }
      headers.remove(HttpHeaderNames.CONTENT_LENGTH);
      if (head.transferEncodings.size() != 1
          || !HttpHeaderValues.CHUNKED.contentEquals(head.transferEncodings.get(0))) {
        headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
      framing = Framing.CHUNKED;
      length = -1;
    } else if (head.contentLengthCount > 0) {
      // RFC 9110 §8.6: more than one value is invalid; Envoy rejects even identical duplicates
      if (head.contentLengthCount > 1) {
        return BAD_CONTENT_LENGTH;
      }
      length = parseContentLength(head.contentLength);
      // RFC 9110 §9.3.6: a CONNECT request has no content
      if (length < 0 || (connect && length > 0)) {
        return BAD_CONTENT_LENGTH;
      }
      if (head.contentLength.length() > 1 && head.contentLength.byteAt(0) == '0') {
        headers.set(HttpHeaderNames.CONTENT_LENGTH, Long.toString(length));
      }
      framing = length > 0 ? Framing.CONTENT_LENGTH : Framing.NONE;
    }

    boolean upgrade = connect;
    if (head.hasConnection || head.hasUpgrade) {
      Http1ProtocolError error = ConnectionHeader.sanitize(headers);
      if (error != null) {
        return error;
      }
      upgrade |=
          headers.contains(HttpHeaderNames.UPGRADE)
              && headers.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
    }

    if (framing == Framing.CHUNKED && head.contentLengthCount > 0) {
      // allow_chunked_length: framed by chunked alone, but RFC 9112 §6.3 item 3 says the server
      // MUST close the connection after responding; the manager and the decoder both read this
      String connection = headers.get(HttpHeaderNames.CONNECTION);
      if (connection == null) {
        headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      } else if (!ConnectionHeader.hasToken(connection, "close")) {
        headers.set(HttpHeaderNames.CONNECTION, connection + ", close");
      }
    }

    RequestTarget target = head.target;
    if (target.form() == TargetForm.ABSOLUTE) {
      // RFC 9112 §3.2.2: a proxy MUST ignore the received Host and use the target's authority
      headers.set(HttpHeaderNames.HOST, new AsciiString(target.authority()));
    }
    return new Http1Request(
        head.version,
        head.method,
        target.uri(),
        headers,
        target.form(),
        target.scheme(),
        framing,
        length,
        upgrade);
  }

  /** Whether the server must close after answering this request (RFC 9112 §9.3). */
  static boolean closesConnection(Http1Request request) {
    return !HttpUtil.isKeepAlive(request);
  }

  /** RFC 9110 §8.6: {@code Content-Length = 1*DIGIT}; -1 when invalid or too large for a long. */
  static long parseContentLength(AsciiString value) {
    int len = value.length();
    if (len == 0 || len > 18 && !allZerosBefore(value, len - 18)) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < len; i++) {
      int d = value.byteAt(i) - '0';
      if (d < 0 || d > 9) {
        return -1;
      }
      n = n * 10 + d;
    }
    return n;
  }

  private static boolean allZerosBefore(AsciiString value, int end) {
    for (int i = 0; i < end; i++) {
      if (value.byteAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
