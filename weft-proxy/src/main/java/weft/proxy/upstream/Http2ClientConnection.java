package weft.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
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
import weft.proxy.http.ReturnOnRelease;

/**
 * One upstream HTTP/2 connection: exchanges open streams on it directly (no stream child
 * channels) and frames are dispatched to them by stream id. Response DATA returns to the receive
 * windows when the downstream has written it ({@link ReturnOnRelease}). Event-loop confined.
 */
final class Http2ClientConnection extends Http2ConnectionHandler implements ReturnOnRelease.Window {
  private final int connectionWindow;
  private final Http2Connection.PropertyKey key;
  private ChannelHandlerContext ctx;
  private boolean windowGrown;

  private Http2ClientConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, int connectionWindow) {
    super(decoder, encoder, settings);
    this.connectionWindow = connectionWindow;
    this.key = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        Http2Exchange e = stream.removeProperty(key);
        if (e != null) {
          e.closed();
        }
      }
    });
    decoder.frameListener(new Frames());
  }

  static Http2ClientConnection create(int streamWindow, int connectionWindow) {
    return new Builder(connectionWindow).server(false).validateHeaders(true)
        .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
            .initialWindowSize(streamWindow))
        .build();
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<Http2ClientConnection, Builder> {
    private final int connectionWindow;

    Builder(int connectionWindow) {
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
    protected Http2ClientConnection build() {
      return super.build();
    }

    @Override
    protected Http2ClientConnection build(Http2ConnectionDecoder decoder,
        Http2ConnectionEncoder encoder, Http2Settings settings) {
      return new Http2ClientConnection(decoder, encoder, settings, connectionWindow);
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
   * The connection window starts at 65,535 whatever SETTINGS say (RFC 9113 §6.9.2): once the
   * preface has been written, one WINDOW_UPDATE raises it to the configured size.
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

  private Runnable settingsWaiter;
  private boolean settingsReceived;

  /** Runs {@code r} once the peer's first SETTINGS frame has been applied (now if it has). */
  void whenSettingsReceived(Runnable r) {
    if (settingsReceived) {
      r.run();
    } else {
      settingsWaiter = r;
    }
  }

  ChannelHandlerContext context() {
    return ctx;
  }

  /**
   * Opens a stream for {@code exchange} by writing its request head; false when the connection
   * cannot take one more stream (the peer's limit, GOAWAY, closing).
   */
  boolean open(Http2Exchange exchange, Http2Headers head, io.netty.handler.codec.http.LastHttpContent full) {
    Http2Connection.Endpoint<?> local = connection().local();
    if (!ctx.channel().isActive() || connection().goAwayReceived() || !local.canOpenStream()) {
      if (full != null) {
        full.release();
      }
      return false;
    }
    int id = local.incrementAndGetNextStreamId();
    if (id < 0) {
      if (full != null) {
        full.release();
      }
      return false;
    }
    weft.proxy.http.Http2Frames.writeHead(ctx, encoder(), id, head, full);
    Http2Stream stream = connection().stream(id);
    if (stream == null) {
      return false;
    }
    exchange.opened(id);
    if (stream.state() != Http2Stream.State.CLOSED) {
      stream.setProperty(key, exchange);
    }
    flushStreams();
    return true;
  }

  void flushStreams() {
    try {
      flush(ctx);
    } catch (Exception e) {
      onError(ctx, true, e);
    }
  }

  /** Resets the stream unless it has already closed. */
  void reset(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
      return;
    }
    resetStream(ctx, streamId, Http2Error.CANCEL.code(), ctx.newPromise());
    flushStreams();
  }

  @Override
  public void consumed(int streamId, int bytes) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
      return; // a closed stream's unconsumed bytes went back to the connection window
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
    private Http2Exchange exchange(int streamId) {
      Http2Stream stream = connection().stream(streamId);
      return stream == null ? null : stream.getProperty(key);
    }

    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) throws Http2Exception {
      Http2Exchange e = exchange(streamId);
      if (e != null) {
        e.onHeaders(headers, endOfStream);
      }
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
      Http2Exchange e = exchange(streamId);
      if (e == null || !e.wantsData()) {
        return data.readableBytes() + padding;
      }
      var c = weft.proxy.http.Http2Frames.receivedData(ctx, Http2ClientConnection.this, streamId,
          data, endOfStream);
      if (c != null) {
        e.onData(c);
      }
      return padding;
    }

    @Override
    public void onSettingsRead(ChannelHandlerContext ctx, Http2Settings settings) {
      if (!settingsReceived) {
        settingsReceived = true;
        Runnable r = settingsWaiter;
        settingsWaiter = null;
        if (r != null) {
          r.run();
        }
      }
    }

    @Override
    public void onRstStreamRead(ChannelHandlerContext ctx, int streamId, long errorCode) {
      Http2Exchange e = exchange(streamId);
      if (e != null) {
        e.resetByPeer(errorCode);
      }
    }
  }
}
