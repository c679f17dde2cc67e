package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;

/**
 * A strict HTTP/1.1 response decoder for upstream connections (RFC 9112 §4, §6.3), replacing
 * Netty's {@code HttpClientCodec} decoder: field lines go through the same {@link FieldLine} checks
 * as requests (names interned for common headers, values kept as received bytes), and a response
 * costs one head, one header map and its content objects, without a String per header or a
 * trailer map per body.
 *
 * <p>Emits per response one {@link DefaultHttpResponse}, zero or more {@link
 * io.netty.handler.codec.http.HttpContent} and one {@link LastHttpContent}; informational (1xx)
 * responses are emitted the same way, followed by the final one. Framing, in RFC 9112 §6.3 order:
 * a response to HEAD, 1xx, 204 and 304 have no body; 101 ends decoding (the bytes after it stay
 * buffered for the tunnel that removes this handler); {@code Transfer-Encoding: chunked} is chunked
 * (a Content-Length beside it is removed, as Netty's decoder did), any other coding is refused
 * (the proxy strips Transfer-Encoding per hop and could not forward it faithfully); then
 * Content-Length (differing duplicates are refused); otherwise the body runs until close. A body cut short by
 * the connection closing gets no {@link LastHttpContent}: the exchange sees a reset, never a
 * truncated response that looks complete.
 *
 * <p>On invalid input it emits one {@link Http1ProtocolError} and ignores every further byte. One
 * instance per connection; the connection calls {@link #expectResponseTo} before each request.
 */
public final class Http1ResponseDecoder extends ByteToMessageDecoder {
  /** Status line and header section together, as {@code HttpClientCodec}'s 64 KiB header limit. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  static final Http1ProtocolError PROTOCOL_ERROR =
      new Http1ProtocolError(502, "upstream_protocol_error");

  private enum State {
    STATUS_LINE, HEADERS, FIXED_BODY, CHUNKS, TRAILERS,
    UNTIL_CLOSE,
    /** After 101: bytes stay buffered for the tunnel. */
    UPGRADED,
    /** After an error: bytes are dropped. */
    DONE
  }

  private final Lines lines = new Lines(MAX_HEAD_BYTES);
  private final ChunkedBody chunks = new ChunkedBody(lines);
  private State state = State.STATUS_LINE;
  private boolean headRequest;
  private DefaultHttpResponse response;
  private int code;
  private long contentLength;
  /** Values of the Transfer-Encoding field lines, null when there is none. */
  private List<AsciiString> transferEncodings;
  private HttpHeaders trailers;
  private long remaining;

  /** The next response answers a request with {@code method} (HEAD responses have no body). */
  public void expectResponseTo(HttpMethod method) {
    headRequest = HttpMethod.HEAD.equals(method);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    for (; ; ) {
      boolean progress =
          switch (state) {
            case STATUS_LINE -> statusLine(in, out);
            case HEADERS -> headerLine(in, out);
            case FIXED_BODY -> fixedBody(in, out);
            case CHUNKS -> chunks(in, out);
            case TRAILERS -> trailerLine(in, out);
            case UNTIL_CLOSE -> untilClose(in, out);
            case UPGRADED -> false;
            case DONE -> {
              in.skipBytes(in.readableBytes());
              yield false;
            }
          };
      if (!progress) {
        return;
      }
    }
  }

  /** The connection closed: only a close-delimited body ends here; anything else is cut short. */
  @Override
  protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    decode(ctx, in, out);
    if (state == State.UNTIL_CLOSE) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      state = State.DONE;
    }
  }

  // ---------------------------------------------------------------- head

  /** RFC 9112 §4: {@code HTTP-version SP 3DIGIT SP [ reason-phrase ]}. */
  private boolean statusLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return len == Lines.INCOMPLETE ? false : fail(in, out);
    }
    int s = in.readerIndex();
    in.skipBytes(len + 2);
    // the reason phrase may be empty, and then the SP before it is often missing (Netty and
    // Envoy accept both)
    if (len < 12
        || in.getByte(s) != 'H' || in.getByte(s + 1) != 'T' || in.getByte(s + 2) != 'T'
        || in.getByte(s + 3) != 'P' || in.getByte(s + 4) != '/' || in.getByte(s + 5) != '1'
        || in.getByte(s + 6) != '.' || !isDigit(in.getByte(s + 7)) || in.getByte(s + 8) != ' '
        || !isDigit(in.getByte(s + 9)) || !isDigit(in.getByte(s + 10))
        || !isDigit(in.getByte(s + 11)) || (len > 12 && in.getByte(s + 12) != ' ')) {
      return fail(in, out);
    }
    HttpVersion version = in.getByte(s + 7) == '0' ? HttpVersion.HTTP_1_0 : HttpVersion.HTTP_1_1;
    code = (in.getByte(s + 9) - '0') * 100 + (in.getByte(s + 10) - '0') * 10
        + (in.getByte(s + 11) - '0');
    if (code < 100) {
      return fail(in, out);
    }
    HttpResponseStatus status = status(in, s + 13, len - 13);
    if (status == null) {
      return fail(in, out);
    }
    response = new DefaultHttpResponse(version, status,
        DefaultHttpHeadersFactory.headersFactory().newHeaders());
    contentLength = -1;
    transferEncodings = null;
    state = State.HEADERS;
    return true;
  }

  /** The status for {@code code} and the reason {@code in[from, from+len)}: shared when standard. */
  private HttpResponseStatus status(ByteBuf in, int from, int len) {
    HttpResponseStatus standard = HttpResponseStatus.valueOf(code);
    if (len <= 0) {
      // no reason phrase: forwarded as none, as Netty's decoder did
      return standard.reasonPhrase().isEmpty() ? standard : HttpResponseStatus.valueOf(code, "");
    }
    String phrase = standard.reasonPhrase();
    boolean same = phrase.length() == len;
    for (int i = 0; i < len; i++) {
      byte b = in.getByte(from + i);
      // reason-phrase = 1*( HTAB / SP / VCHAR / obs-text )
      if (!HttpChars.isFieldVchar(b) && !HttpChars.isOws(b)) {
        return null;
      }
      same &= i < phrase.length() && phrase.charAt(i) == (char) (b & 0xff);
    }
    return same ? standard
        : HttpResponseStatus.valueOf(code,
            in.toString(from, len, java.nio.charset.StandardCharsets.ISO_8859_1));
  }

  private boolean headerLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return len == Lines.INCOMPLETE ? false : fail(in, out);
    }
    int start = in.readerIndex();
    in.skipBytes(len + 2);
    if (len > 0) {
      return addField(in, start, len) || fail(in, out);
    }
    return headComplete(in, out);
  }

  private boolean addField(ByteBuf in, int start, int len) {
    FieldLine field = FieldLine.parse(in, start, len);
    if (field.error() != null) {
      return false;
    }
    switch (HeaderNames.id(field.knownIndex())) {
      case HeaderNames.CONTENT_LENGTH -> {
        long n = RequestHeadRules.parseContentLength(field.value());
        // RFC 9110 §8.6: differing values are an unrecoverable framing error
        if (n < 0 || (contentLength >= 0 && n != contentLength)) {
          return false;
        }
        contentLength = n;
      }
      case HeaderNames.TRANSFER_ENCODING -> {
        if (transferEncodings == null) {
          transferEncodings = new ArrayList<>(2);
        }
        transferEncodings.add(field.value());
      }
      default -> {}
    }
    try {
      response.headers().add(field.name(), field.value());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return true;
  }

  private boolean headComplete(ByteBuf in, List<Object> out) {
    DefaultHttpResponse head = response;
    response = null;
    lines.reset();
    if (code == 101) {
      out.add(head);
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      state = State.UPGRADED;
      return false;
    }
    if (headRequest || code < 200 || code == 204 || code == 304) {
      out.add(head);
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      state = State.STATUS_LINE;
      return true;
    }
    if (transferEncodings != null) {
      // only chunked alone: hop-by-hop removal drops Transfer-Encoding, so a body in any other
      // coding (gzip, or gzip then chunked) could not be forwarded faithfully
      if (TransferCodings.judge(transferEncodings) != TransferCodings.CHUNKED) {
        return fail(in, out);
      }
      // RFC 9112 §6.3: Transfer-Encoding overrides Content-Length, which a proxy must remove
      head.headers().remove(HttpHeaderNames.CONTENT_LENGTH);
      out.add(head);
      chunks.start();
      state = State.CHUNKS;
      return true;
    }
    out.add(head);
    if (contentLength == 0) {
      out.add(LastHttpContent.EMPTY_LAST_CONTENT);
      state = State.STATUS_LINE;
      return true;
    }
    if (contentLength > 0) {
      remaining = contentLength;
      state = State.FIXED_BODY;
      return true;
    }
    state = State.UNTIL_CLOSE;
    return true;
  }

  // ---------------------------------------------------------------- bodies

  private boolean fixedBody(ByteBuf in, List<Object> out) {
    int n = (int) Math.min(remaining, in.readableBytes());
    if (n == 0) {
      return false;
    }
    ByteBuf data = in.readRetainedSlice(n);
    remaining -= n;
    if (remaining == 0) {
      out.add(new DefaultLastHttpContent(data, EmptyHttpHeaders.INSTANCE));
      state = State.STATUS_LINE;
    } else {
      out.add(new DefaultHttpContent(data));
    }
    return true;
  }

  private boolean untilClose(ByteBuf in, List<Object> out) {
    int n = in.readableBytes();
    if (n == 0) {
      return false;
    }
    out.add(new DefaultHttpContent(in.readRetainedSlice(n)));
    return true;
  }

  private boolean chunks(ByteBuf in, List<Object> out) {
    return switch (chunks.decode(in, out)) {
      case PROGRESS -> true;
      case WAIT -> false;
      case LAST_CHUNK -> {
        lines.reset();
        state = State.TRAILERS;
        yield true;
      }
      case BAD_LINE, MALFORMED -> fail(in, out);
    };
  }

  private boolean trailerLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return len == Lines.INCOMPLETE ? false : fail(in, out);
    }
    int start = in.readerIndex();
    in.skipBytes(len + 2);
    if (len == 0) {
      out.add(new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER,
          trailers == null ? EmptyHttpHeaders.INSTANCE : trailers));
      trailers = null;
      lines.reset();
      state = State.STATUS_LINE;
      return true;
    }
    FieldLine field = FieldLine.parse(in, start, len);
    if (field.error() != null) {
      return fail(in, out);
    }
    // RFC 9110 §6.5.1: framing and routing fields mean nothing in trailers; they are dropped
    if (HeaderNames.id(field.knownIndex()) == HeaderNames.OTHER) {
      if (trailers == null) {
        trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders();
      }
      trailers.add(field.name(), field.value());
    }
    return true;
  }

  private boolean fail(ByteBuf in, List<Object> out) {
    in.skipBytes(in.readableBytes());
    response = null;
    trailers = null;
    state = State.DONE;
    out.add(PROTOCOL_ERROR);
    return false;
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }
}
