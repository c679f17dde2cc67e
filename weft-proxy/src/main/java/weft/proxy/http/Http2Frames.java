package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * Moves weft's HTTP messages (head, body chunks, trailers) on and off one HTTP/2 stream of a
 * connection-level handler, frame by frame: the downstream server connection and the upstream
 * pool's connections share it. Event-loop confined, like the encoders it writes through.
 */
public final class Http2Frames {
  private Http2Frames() {}

  /**
   * Adds the headers of {@code in} to {@code out} after its pseudo-headers: names lower-cased,
   * connection-specific headers and {@code host} left out (RFC 9113 §8.2.2).
   */
  public static Http2Headers addRegular(HttpHeaders in, Http2Headers out) {
    HttpConversionUtil.toHttp2Headers(in, out);
    return out;
  }

  /**
   * Writes body chunk {@code c} on {@code streamId}: DATA, and for the last chunk END_STREAM on
   * the DATA or on a trailing HEADERS block. Takes ownership of {@code c}.
   */
  public static void writeBody(ChannelHandlerContext ctx, Http2ConnectionEncoder enc, int streamId,
      HttpContent c) {
    ByteBuf body = c.content();
    if (c instanceof LastHttpContent last && !last.trailingHeaders().isEmpty()) {
      if (body.isReadable()) {
        enc.writeData(ctx, streamId, body, 0, false, ctx.newPromise());
      } else {
        body.release();
      }
      writeTrailers(ctx, enc, streamId, last.trailingHeaders());
    } else if (c instanceof LastHttpContent || body.isReadable()) {
      enc.writeData(ctx, streamId, body, 0, c instanceof LastHttpContent, ctx.newPromise());
    } else {
      body.release();
    }
  }

  /**
   * Writes head {@code h}; when {@code full} is a complete message (its body and trailers) they
   * follow and the stream ends. Takes ownership of {@code full}.
   */
  public static void writeHead(ChannelHandlerContext ctx, Http2ConnectionEncoder enc, int streamId,
      Http2Headers h, LastHttpContent full) {
    if (full == null) {
      enc.writeHeaders(ctx, streamId, h, 0, false, ctx.newPromise());
      return;
    }
    ByteBuf body = full.content();
    HttpHeaders trailers = full.trailingHeaders();
    boolean hasBody = body.isReadable();
    enc.writeHeaders(ctx, streamId, h, 0, !hasBody && trailers.isEmpty(), ctx.newPromise());
    if (hasBody) {
      enc.writeData(ctx, streamId, body, 0, trailers.isEmpty(), ctx.newPromise());
    } else {
      body.release();
    }
    if (!trailers.isEmpty()) {
      writeTrailers(ctx, enc, streamId, trailers);
    }
  }

  private static void writeTrailers(ChannelHandlerContext ctx, Http2ConnectionEncoder enc,
      int streamId, HttpHeaders trailers) {
    Http2Headers t = new DefaultHttp2Headers(false, trailers.size());
    HttpConversionUtil.toHttp2Headers(trailers, t);
    enc.writeHeaders(ctx, streamId, t, 0, true, ctx.newPromise());
  }

  /**
   * A received DATA payload as a body chunk whose bytes return to the receive window when
   * released ({@link ReturnOnRelease}); {@code data} is retained, not taken. Null for an empty
   * frame that does not end the stream (nothing to forward).
   */
  public static HttpContent receivedData(ChannelHandlerContext ctx, ReturnOnRelease.Window window,
      int streamId, ByteBuf data, boolean endOfStream) {
    if (!data.isReadable()) {
      return endOfStream ? new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER) : null;
    }
    ByteBuf body = ReturnOnRelease.wrap(data.retain(), ctx.executor(), window, streamId);
    return endOfStream ? new DefaultLastHttpContent(body) : new DefaultHttpContent(body);
  }
}
