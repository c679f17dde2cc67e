package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
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
final class Http2ServerConnection extends Http2ConnectionHandler implements ReturnOnRelease.Window {
  private final HcmConfig cfg;
  private final ConnectionTracker tracker;
  private final int connectionWindow;
  private final Http2Connection.PropertyKey key;
  private ChannelHandlerContext ctx;
  private boolean windowGrown;

  private Http2ServerConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, HcmConfig cfg, ConnectionTracker tracker, int connectionWindow) {
    super(decoder, encoder, settings);
    this.cfg = cfg;
    this.tracker = tracker;
    this.connectionWindow = connectionWindow;
    this.key = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        Http2ServerStream s = stream.removeProperty(key);
        if (s != null) {
          s.closed();
        }
      }
    });
    decoder.frameListener(new Frames());
  }

  /** Builds the handler with weft's settings and header validation on. */
  static Http2ServerConnection create(HcmConfig cfg, ConnectionTracker tracker, Http2Settings settings,
      int connectionWindow) {
    return new Builder(cfg, tracker, connectionWindow).server(true).validateHeaders(true)
        .initialSettings(settings).build();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2ServerConnection, Builder> {
    private final HcmConfig cfg;
    private final ConnectionTracker tracker;
    private final int connectionWindow;

    Builder(HcmConfig cfg, ConnectionTracker tracker, int connectionWindow) {
      this.cfg = cfg;
      this.tracker = tracker;
      this.connectionWindow = connectionWindow;
    }

    @Override
    protected Builder server(boolean server) {
      return super.server(server);
    }

    @Override
    protected Builder validateHeaders(boolean validate) {
      return super.validateHeaders(validate);
    }

    @Override
    protected Builder initialSettings(Http2Settings settings) {
      return super.initialSettings(settings);
    }

    @Override
    protected Http2ServerConnection build() {
      return super.build();
    }

    @Override
    protected Http2ServerConnection build(Http2ConnectionDecoder decoder,
        Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new Http2ServerConnection(decoder, encoder, settings, cfg, tracker, connectionWindow);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
    if (ctx.channel().isActive()) {
      growConnectionWindow();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx);
    growConnectionWindow();
  }

  /**
   * The connection window starts at 65,535 (RFC 9113 §6.9.2) whatever SETTINGS say; one
   * connection-level WINDOW_UPDATE after the preface raises it to the configured size.
   */
  private void growConnectionWindow() {
    if (windowGrown) {
      return;
    }
    windowGrown = true;
    int delta = connectionWindow - Http2CodecUtil.DEFAULT_WINDOW_SIZE;
    if (delta > 0) {
      try {
        decoder().flowController().incrementWindowSize(connection().connectionStream(), delta);
      } catch (Http2Exception e) {
        onError(ctx, true, e);
      }
      ctx.flush();
    }
  }

  /** Drain: GOAWAY naming the last stream lets in-flight streams finish; close when they have. */
  void drain() {
    goAway(ctx, connection().remote().lastStreamCreated(), Http2Error.NO_ERROR.code(),
        Unpooled.EMPTY_BUFFER, ctx.newPromise());
    ctx.flush();
    tracker.closeWhenIdle();
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  /** Writes out what the encoder's flow controller has queued, then flushes. */
  void flushStreams() {
    try {
      flush(ctx);
    } catch (Exception e) {
      onError(ctx, true, e);
    }
  }

  void reset(int streamId, Http2Error error) {
    resetStream(ctx, streamId, error.code(), ctx.newPromise());
    flushStreams();
  }

  @Override
  public void consumed(int streamId, int bytes) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
      // a closed stream's unconsumed bytes went back to the connection window when it closed
      return;
    }
    try {
      if (decoder().flowController().consumeBytes(stream, bytes)) {
        flushStreams();
      }
    } catch (Http2Exception e) {
      onError(ctx, true, e);
    }
  }

  private final class Frames extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) throws Http2Exception {
      Http2Stream stream = connection().stream(streamId);
      if (stream == null) {
        return;
      }
      Http2ServerStream s = stream.getProperty(key);
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
      stream.setProperty(key, s);
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
      Http2Stream stream = connection().stream(streamId);
      Http2ServerStream s = stream == null ? null : stream.getProperty(key);
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
