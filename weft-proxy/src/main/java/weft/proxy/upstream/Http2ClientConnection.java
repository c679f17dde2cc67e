package weft.proxy.upstream;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import weft.proxy.http.DispatchingHttp2Connection;
import weft.proxy.http.ReturnOnRelease;

/**
 * One upstream HTTP/2 connection: exchanges open streams on it directly (no stream child
 * channels) and frames are dispatched to them by stream id. Response DATA returns to the receive
 * windows when the downstream has written it ({@link ReturnOnRelease}). Event-loop confined.
 */
final class Http2ClientConnection extends DispatchingHttp2Connection<Http2Exchange> {
  private Http2ClientConnection(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
      Http2Settings settings, int connectionWindow) {
    super(decoder, encoder, settings, connectionWindow);
    decoder.frameListener(new Frames());
  }

  static Http2ClientConnection create(int streamWindow, int connectionWindow) {
    return build(false,
        Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(streamWindow),
        (d, e, s) -> new Http2ClientConnection(d, e, s, connectionWindow));
  }

  @Override
  protected void streamClosed(Http2Exchange e) {
    e.closed();
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

  /**
   * Opens a stream for {@code exchange} by writing its request head; false when the connection
   * cannot take one more stream (the peer's limit, GOAWAY, closing).
   */
  boolean open(Http2Exchange exchange, Http2Headers head, io.netty.handler.codec.http.LastHttpContent full) {
    ChannelHandlerContext ctx = context();
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
      attach(stream, exchange);
    }
    flushStreams();
    return true;
  }

  /** Resets the stream unless it has already closed. */
  void reset(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null || stream.state() == Http2Stream.State.CLOSED) {
      return;
    }
    resetStream(context(), streamId, Http2Error.CANCEL.code(), context().newPromise());
    flushStreams();
  }

  private final class Frames extends Http2FrameAdapter {
    @Override
    public void onHeadersRead(ChannelHandlerContext ctx, int streamId, Http2Headers headers,
        int padding, boolean endOfStream) throws Http2Exception {
      Http2Exchange e = state(streamId);
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
      Http2Exchange e = state(streamId);
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
      Http2Exchange e = state(streamId);
      if (e != null) {
        e.resetByPeer(errorCode);
      }
    }
  }
}
