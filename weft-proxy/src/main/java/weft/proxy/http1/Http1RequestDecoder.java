package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;

/**
 * A strict HTTP/1.1 request decoder (RFC 9112, with Envoy's defaults where the RFC leaves a
 * choice), built so that no two parsers can frame what it accepts differently.
 *
 * <p>Emits, per request, one {@link Http1Request}, zero or more {@link
 * io.netty.handler.codec.http.HttpContent} and one {@link LastHttpContent} (carrying trailers for
 * chunked bodies); pipelined requests follow one another. On bad input it emits one {@link
 * Http1ProtocolError} and then ignores every further byte. After an upgrade or CONNECT request (see
 * {@link Http1Request#isUpgrade()}) and after a request asking to close, it stops decoding.
 *
 * <p>One instance per connection; called on the connection's event loop only.
 */
public final class Http1RequestDecoder extends ByteToMessageDecoder {
  static final String CODEC_ERROR = "http1.codec_error";
  static final String INVALID_CHARACTERS = "http1.invalid_characters";
  static final String HEADERS_TOO_LARGE = "http1.headers_too_large";
  static final String TOO_MANY_HEADERS = "http1.too_many_headers";
  static final String INVALID_URL = "http1.invalid_url";
  static final String LOW_VERSION = "low_version";

  private enum State {
    REQUEST_LINE,
    HEADERS,
    FIXED_BODY,
    CHUNKS,
    TRAILERS,
    /** Upgrade or CONNECT: bytes stay buffered for whoever takes the connection over. */
    HOLD,
    /** After an error or a request that closes the connection: bytes are dropped. */
    DONE
  }

  private final Http1DecoderConfig config;
  /** Each head and each trailer section counts against max_request_headers_kb. */
  private final Lines lines;
  private final ChunkedBody chunks;
  private State state = State.REQUEST_LINE;

  private RequestHead head;
  private HttpHeaders trailers;
  private int trailerCount;
  private long remaining;
  private boolean upgradeAfter;
  private boolean closeAfter;

  public Http1RequestDecoder(Http1DecoderConfig config) {
    this.config = config;
    this.lines = new Lines(config.maxHeadBytes());
    this.chunks = new ChunkedBody(lines);
  }

  public Http1RequestDecoder() {
    this(Http1DecoderConfig.DEFAULTS);
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    for (; ; ) {
      boolean progress =
          switch (state) {
            case REQUEST_LINE -> requestLine(in, out);
            case HEADERS -> headerLine(in, out);
            case FIXED_BODY -> fixedBody(in, out);
            case CHUNKS -> chunks(in, out);
            case TRAILERS -> trailerLine(in, out);
            case HOLD -> false;
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

  // ---------------------------------------------------------------- head

  private boolean requestLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return lineProblem(len, in, out, 431, HEADERS_TOO_LARGE);
    }
    int start = in.readerIndex();
    in.skipBytes(len + 2);
    if (len == 0) {
      // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request-line
      return true;
    }
    head = RequestHead.parseRequestLine(in, start, len, config);
    if (head.error() != null) {
      return fail(in, out, head.error());
    }
    state = State.HEADERS;
    return true;
  }

  private boolean headerLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return lineProblem(len, in, out, 431, HEADERS_TOO_LARGE);
    }
    int start = in.readerIndex();
    in.skipBytes(len + 2);
    if (len > 0) {
      Http1ProtocolError error = head.addField(in, start, len, config);
      return error == null || fail(in, out, error);
    }
    Object result = RequestHeadRules.complete(head, config);
    if (result instanceof Http1ProtocolError error) {
      return fail(in, out, error);
    }
    Http1Request request = (Http1Request) result;
    head = null;
    lines.reset();
    out.add(request);
    upgradeAfter = request.isUpgrade();
    closeAfter = RequestHeadRules.closesConnection(request);
    switch (request.framing()) {
      case NONE -> endOfRequest(out, LastHttpContent.EMPTY_LAST_CONTENT);
      case CONTENT_LENGTH -> {
        remaining = request.contentLength();
        state = State.FIXED_BODY;
      }
      case CHUNKED -> {
        chunks.start();
        state = State.CHUNKS;
      }
    }
    return true;
  }

  private void endOfRequest(List<Object> out, LastHttpContent last) {
    out.add(last);
    trailers = null;
    trailerCount = 0;
    lines.reset();
    state = upgradeAfter ? State.HOLD : closeAfter ? State.DONE : State.REQUEST_LINE;
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
      endOfRequest(out, new DefaultLastHttpContent(data));
    } else {
      out.add(new DefaultHttpContent(data));
    }
    return true;
  }

  private boolean chunks(ByteBuf in, List<Object> out) {
    return switch (chunks.decode(in, out)) {
      case PROGRESS -> true;
      case WAIT -> false;
      case LAST_CHUNK -> {
        state = State.TRAILERS;
        lines.reset();
        yield true;
      }
      case BAD_LINE -> fail(in, out, new Http1ProtocolError(400, CODEC_ERROR));
      case MALFORMED -> fail(in, out, FieldLine.MALFORMED);
    };
  }

  /** RFC 9112 §7.1.2: trailer fields are field lines like headers, under the same limits. */
  private boolean trailerLine(ByteBuf in, List<Object> out) {
    int len = lines.find(in);
    if (len < 0) {
      return lineProblem(len, in, out, 431, HEADERS_TOO_LARGE);
    }
    int start = in.readerIndex();
    in.skipBytes(len + 2);
    if (len == 0) {
      endOfRequest(
          out,
          trailers == null
              ? LastHttpContent.EMPTY_LAST_CONTENT
              : new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER, trailers));
      return true;
    }
    if (++trailerCount > config.maxHeadersCount()) {
      return fail(in, out, new Http1ProtocolError(431, TOO_MANY_HEADERS));
    }
    FieldLine field = FieldLine.parse(in, start, len);
    if (field.error() != null) {
      return fail(in, out, field.error());
    }
    if (field.underscore()) {
      switch (config.underscores()) {
        case ALLOW -> {}
        case REJECT_REQUEST -> {
          return fail(in, out, RequestHead.UNDERSCORE);
        }
        case DROP_HEADER -> {
          return true;
        }
      }
    }
    // checked and counted even when dropped (enable_trailers false, Envoy's default). RFC 9110
    // §6.5.1: framing and routing fields mean nothing in trailers; drop them rather than let a
    // later hop merge them into the header section
    int id = HeaderNames.id(field.knownIndex());
    if (id == HeaderNames.OTHER && config.enableTrailers()) {
      if (trailers == null) {
        trailers = DefaultHttpHeadersFactory.trailersFactory().newHeaders();
      }
      trailers.add(field.name(), field.value());
    }
    return true;
  }

  // ---------------------------------------------------------------- lines and errors

  private boolean lineProblem(
      int code, ByteBuf in, List<Object> out, int tooLongStatus, String tooLongDetails) {
    return switch (code) {
      case Lines.INCOMPLETE -> false;
      case Lines.TOO_LONG -> fail(in, out, new Http1ProtocolError(tooLongStatus, tooLongDetails));
      default -> fail(in, out, new Http1ProtocolError(400, CODEC_ERROR));
    };
  }

  private boolean fail(ByteBuf in, List<Object> out, Http1ProtocolError error) {
    in.skipBytes(in.readableBytes());
    head = null;
    trailers = null;
    state = State.DONE;
    out.add(error);
    return false;
  }
}
