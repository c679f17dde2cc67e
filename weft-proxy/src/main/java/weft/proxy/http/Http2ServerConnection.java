package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.codec.http2.HttpConversionUtil;

/**
 * The HTTP/2 side of the connection manager: one handler per connection that dispatches frames by
 * stream id to an {@link Http2ServerStream}, without a child channel, pipeline or HTTP object
 * codec per stream (Envoy's codec is likewise one object per connection). The request head is
 * built straight from the HEADERS block; responses are written as HEADERS/DATA through the
 * encoder. Received DATA goes back to the stream and connection windows only when the bytes have
 * been written upstream or dropped ({@link ReturnOnRelease}), so a slow upstream holds the client
 * at the window. Event-loop confined.
 */
final class Http2ServerConnection extends DispatchingHttp2Connection<Http2ServerStream> {
  private final HcmConfig cfg;
  private final ConnectionTracker tracker;

  private Http2ServerConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, HcmConfig cfg, ConnectionTracker tracker, int connectionWindow) {
    super(decoder, encoder, settings, connectionWindow);
    this.cfg = cfg;
    this.tracker = tracker;
    decoder.frameListener(new Frames());
  }

  /** Builds the handler with weft's settings and header validation on. */
  static Http2ServerConnection create(HcmConfig cfg, ConnectionTracker tracker, Http2Settings settings,
      int connectionWindow) {
    return build(true, settings,
        (d, e, s) -> new Http2ServerConnection(d, e, s, cfg, tracker, connectionWindow));
  }

  @Override
  protected void streamClosed(Http2ServerStream s) {
    s.closed();
  }

  /** Drain: GOAWAY naming the last stream lets in-flight streams finish; close when they have. */
  void drain() {
    ChannelHandlerContext ctx = context();
    goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER, ctx.newPromise());
    ctx.flush();
    tracker.closeWhenIdle();
  }

  void reset(int streamId, Http2Error error) {
    ChannelHandlerContext ctx = context();
    resetStream(ctx, streamId, error.code(), ctx.newPromise());
    flushStreams();
  }

  private final class Frames extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) throws Http2Exception {
      Http2Stream stream = connection().stream(streamId);
      if (stream == null) {
        return;
      }
      Http2ServerStream s = state(stream);
      if (s != null) {
        // a second HEADERS block is the request's trailers (it must end the stream)
        LastHttpContent trailers = new DefaultLastHttpContent(Unpooled.EMPTY_BUFFER);
        HttpConversionUtil.addHttp2ToHttpHeaders(streamId, headers, trailers.trailingHeaders(),
            HttpVersion.HTTP_1_1, true, true);
        s.onData(trailers);
        return;
      }
      HttpRequest req;
      try {
        req = HttpConversionUtil.toHttpRequest(streamId, headers, true);
      } catch (Http2Exception | RuntimeException e) {
        // a head that does not make a request (no :method or :path, bad :authority)
        reset(streamId, Http2Error.PROTOCOL_ERROR);
        return;
      }
      s = new Http2ServerStream(cfg, tracker, Http2ServerConnection.this, streamId);
      attach(stream, s);
      s.start(req, endOfStream);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int streamDependency, short weight, boolean exclusive, int padding, boolean endOfStream)
        throws Http2Exception {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding,
        boolean endOfStream) {
      Http2ServerStream s = state(streamId);
      if (s == null || s.requestDone()) {
        return data.readableBytes() + padding;
      }
      HttpContent c = Http2Frames.receivedData(ctx, Http2ServerConnection.this, streamId, data,
          endOfStream);
      if (c == null) {
        return padding;
      }
      s.onData(c);
      // padding is never forwarded; the payload returns to the window once released
      return padding;
    }
  }
}
