package weft.proxy.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * What weft's two HTTP/2 connections (downstream {@link Http2ServerConnection}, upstream
 * {@code Http2ClientConnection}) share: frames are dispatched by stream id to per-stream state
 * {@code S} kept as a property of the Netty stream (no child channel per stream); the connection
 * receive window is raised to the configured size once the preface is out; and received DATA goes
 * back to the windows only when released ({@link ReturnOnRelease}). Event-loop confined.
 */
public abstract class DispatchingHttp2Connection<S> extends Http2ConnectionHandler
    implements ReturnOnRelease.Window {
  private final int connectionWindow;
  private final Http2Connection.PropertyKey key;
  private ChannelHandlerContext ctx;
  private boolean windowGrown;

  protected DispatchingHttp2Connection(Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder, Http2Settings settings, int connectionWindow) {
    super(decoder, encoder, settings);
    this.connectionWindow = connectionWindow;
    this.key = connection().newKey();
    connection().addListener(new Http2ConnectionAdapter() {
      @Override
      public void onStreamClosed(Http2Stream stream) {
        S s = stream.removeProperty(key);
        if (s != null) {
          streamClosed(s);
        }
      }
    });
  }

  /** Called once when the Netty stream that {@code state} was attached to closes. */
  protected abstract void streamClosed(S state);

  /** Makes the handler's subclass constructor the build step of Netty's handler builder. */
  @FunctionalInterface
  protected interface Constructor<T> {
    T create(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings);
  }

  /** Builds a handler with header validation on and {@code settings} as the initial SETTINGS. */
  protected static <T extends DispatchingHttp2Connection<?>> T build(boolean server,
      Http2Settings settings, Constructor<T> constructor) {
    return new Builder<>(constructor).server(server).validateHeaders(true)
        .initialSettings(settings).build();
  }

  private static final class Builder<T extends DispatchingHttp2Connection<?>>
      extends AbstractHttp2ConnectionHandlerBuilder<T, Builder<T>> {
    private final Constructor<T> constructor;

    Builder(Constructor<T> constructor) {
      this.constructor = constructor;
    }

    @Override
    protected Builder<T> server(boolean server) {
      return super.server(server);
    }

    @Override
    protected Builder<T> validateHeaders(boolean validate) {
      return super.validateHeaders(validate);
    }

    @Override
    protected Builder<T> initialSettings(Http2Settings settings) {
      return super.initialSettings(settings);
    }

    @Override
    protected T build() {
      return super.build();
    }

    @Override
    protected T build(Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder,
        Http2Settings settings) {
      return constructor.create(decoder, encoder, settings);
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
   * preface has been written, one connection-level WINDOW_UPDATE raises it to the configured size.
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

  public final ChannelHandlerContext context() {
    return ctx;
  }

  /** The state attached to {@code stream}, or null. */
  protected final S state(Http2Stream stream) {
    return stream.getProperty(key);
  }

  /** The state attached to stream {@code streamId}, or null when there is none or no such stream. */
  protected final S state(int streamId) {
    Http2Stream stream = connection().stream(streamId);
    return stream == null ? null : stream.getProperty(key);
  }

  protected final void attach(Http2Stream stream, S state) {
    stream.setProperty(key, state);
  }

  /** Writes out what the encoder's flow controller has queued, then flushes. */
  public final void flushStreams() {
    try {
      flush(ctx);
    } catch (Exception e) {
      onError(ctx, true, e);
    }
  }

  @Override
  public final void consumed(int streamId, int bytes) {
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
}
