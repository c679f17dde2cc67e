package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The HTTP/1.1 side of the connection manager: one stream at a time; pipelined requests wait in
 * order (reading pauses while they wait) and are answered in order; keep-alive unless the client,
 * HTTP/1.0, a local reply mid-request or draining says close. After a 101 the connection becomes a
 * byte tunnel. Sits after the request decoder and response encoder; event-loop confined.
 */
final class Http1ServerConnection extends ChannelInboundHandlerAdapter implements ResponseSink {
  private final HcmConfig cfg;
  private final ConnectionTracker tracker;
  private final String codecName;
  private Channel channel;
  private ActiveStream current;
  private boolean currentKeepAlive;
  private boolean currentHead;
  private boolean currentHttp10;
  private final ArrayDeque<Object> queued = new ArrayDeque<>();
  private boolean closing;
  private Consumer<ByteBuf> tunnelIn;
  private Runnable tunnelClosed;

  Http1ServerConnection(HcmConfig cfg, ConnectionTracker tracker, String codecName) {
    this.cfg = cfg;
    this.tracker = tracker;
    this.codecName = codecName;
  }

  /**
   * request_headers_timeout: armed by the first byte of a request head, cancelled when the head
   * is complete; on expiry the connection is closed (Envoy: downstream_rq_header_timeout).
   */
  final class HeadersTimer extends ChannelInboundHandlerAdapter {
    private io.netty.util.concurrent.ScheduledFuture<?> timer;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (timer == null && current == null && tunnelIn == null && !closing) {
        timer = ctx.executor().schedule(() -> {
          timer = null;
          if (current == null && tunnelIn == null) {
            cfg.stats().rqHeadersTimeout.inc();
            ctx.close();
          }
        }, cfg.requestHeadersTimeout().toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
      }
      ctx.fireChannelRead(msg);
    }

    void headComplete() {
      if (timer != null) {
        timer.cancel(false);
        timer = null;
      }
    }
  }

  private HeadersTimer headersTimer;

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    if (!cfg.requestHeadersTimeout().isZero()) {
      headersTimer = new HeadersTimer();
      ctx.pipeline().addBefore(codecName, "rq-headers-timeout", headersTimer);
    }
    cfg.stats().cxHttp1Total.inc();
    cfg.stats().cxHttp1Active.inc();
    tracker.register(channel, this::drain);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    cfg.stats().cxHttp1Active.dec();
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    if (tunnelClosed != null) {
      Runnable r = tunnelClosed;
      tunnelClosed = null;
      r.run();
    }
    if (current != null) {
      current.onDownstreamReset();
      current = null;
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (tunnelIn != null && msg instanceof ByteBuf b) {
      tunnelIn.accept(b);
      return;
    }
    if (closing) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (queued.isEmpty() && current != null && current.requestEnded()
        && msg instanceof LastHttpContent last && !(msg instanceof HttpRequest)
        && !last.content().isReadable()) {
      // the decoder's end marker for a request whose head had no body
      last.release();
      return;
    }
    if (!queued.isEmpty() || (current != null && current.requestEnded())) {
      queued.add(msg);
      channel.config().setAutoRead(false);
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    if (msg instanceof HttpRequest req) {
      startStream(req);
      if (msg instanceof HttpContent c && current != null) {
        current.onData(c);
      }
    } else if (msg instanceof HttpContent c) {
      if (current != null && !current.requestEnded()) {
        current.onData(c);
      } else {
        c.release();
      }
    } else if (msg instanceof weft.proxy.http1.Http1ProtocolError e) {
      protocolError(e.status(), e.details());
    } else {
      ReferenceCountUtil.release(msg);
    }
  }

  private void startStream(HttpRequest req) {
    if (headersTimer != null) {
      headersTimer.headComplete();
    }
    tracker.streamStarted();
    DecoderResult dr = req.decoderResult();
    current = new ActiveStream(cfg, this, tracker.connection());
    currentHead = req.method().equals(HttpMethod.HEAD);
    currentHttp10 = req.protocolVersion().equals(HttpVersion.HTTP_1_0);
    currentKeepAlive = HttpUtil.isKeepAlive(req) && !currentHttp10;
    if (dr.isFailure()) {
      cfg.stats().cxProtocolError.inc();
      int status = dr.cause() instanceof TooLongHttpHeaderException ? 431
          : dr.cause() instanceof TooLongFrameException ? 414 : 400;
      ReferenceCountUtil.release(req);
      currentKeepAlive = false;
      current.rejectEarly(status, "http1.codec_error");
      return;
    }
    boolean upgrade = isUpgrade(req.headers());
    // the strict decoder stops after CONNECT or any Upgrade request (it holds the bytes for a
    // tunnel), so one that is not tunnelled as a configured WebSocket is refused and closed, as
    // Envoy refuses upgrades without upgrade_configs (403 upgrade_failed)
    boolean held = req instanceof weft.proxy.http1.Http1Request h1 && h1.isUpgrade();
    if ((upgrade && !cfg.websocketUpgrade()) || (held && !upgrade)) {
      cfg.stats().rqWsOnNonWsRoute.inc();
      currentKeepAlive = false;
      current.start(req, false);
      current.sendLocalReply(403, "", null, "upgrade_failed");
      return;
    }
    // the strict decoder already framed the request: no header look-ups for it
    boolean noBody = req instanceof weft.proxy.http1.Http1Request h1r
        ? h1r.framing() == weft.proxy.http1.Http1Request.Framing.NONE
        : !HttpUtil.isTransferEncodingChunked(req) && HttpUtil.getContentLength(req, 0L) == 0;
    current.start(req, upgrade, noBody);
  }

  /** The strict decoder refused the input: answer its status with connection: close, then close. */
  private void protocolError(int status, String details) {
    cfg.stats().cxProtocolError.inc();
    tracker.streamStarted();
    current = new ActiveStream(cfg, this, tracker.connection());
    currentHead = false;
    currentHttp10 = false;
    currentKeepAlive = false;
    current.rejectEarly(status, details);
  }

  static boolean isUpgrade(HttpHeaders h) {
    String up = h.get(HttpHeaderNames.UPGRADE);
    return up != null && up.equalsIgnoreCase("websocket")
        && h.containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true);
  }

  @Override
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public boolean isHttp2() {
    return false;
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public void writeContinue() {
    channel.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
  }

  @Override
  public void writeHead(ActiveStream stream, HttpResponse r) {
    r.setProtocolVersion(HttpVersion.HTTP_1_1);
    HttpHeaders h = r.headers();
    int code = r.status().code();
    boolean close = stream.closeConnection || !currentKeepAlive || tracker.draining();
    if (code == 101) {
      channel.writeAndFlush(r, channel.voidPromise());
      return;
    }
    boolean bodyless = currentHead || code == 204 || code == 304 || (code >= 100 && code < 200);
    if (r instanceof LastHttpContent full) {
      if (!bodyless || currentHead && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
        if (!(currentHead && h.contains(HttpHeaderNames.CONTENT_LENGTH))) {
          h.setInt(HttpHeaderNames.CONTENT_LENGTH, full.content().readableBytes());
        }
      }
    } else if (!bodyless && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      if (currentHttp10) {
        close = true;
      } else {
        h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
      }
    }
    if (close) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      closing = true;
      stream.closeConnection = true;
    } else if (currentHttp10) {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
    }
    if (currentHead && r instanceof LastHttpContent full && full.content().isReadable()) {
      full.content().clear();
    }
    // void promises: nobody listens to these writes; a failed write reaches exceptionCaught,
    // which closes the connection
    channel.writeAndFlush(r, channel.voidPromise());
  }

  @Override
  public void writeContent(HttpContent content) {
    if (currentHead) {
      content.release();
      if (content instanceof LastHttpContent) {
        channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT, channel.voidPromise());
      }
      return;
    }
    channel.writeAndFlush(content, channel.voidPromise());
  }

  @Override
  public void complete(ActiveStream stream) {
    if (stream != current) {
      return;
    }
    boolean close = stream.closeConnection;
    current = null;
    tracker.streamEnded();
    if (close || closing) {
      closing = true;
      channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
          .addListener(ChannelFutureListener.CLOSE);
      return;
    }
    while (current == null && !queued.isEmpty()) {
      Object next = queued.poll();
      dispatch(next);
      while (current != null && !current.requestEnded() && !queued.isEmpty()
          && !(queued.peek() instanceof HttpRequest)) {
        dispatch(queued.poll());
      }
      if (current != null) {
        break;
      }
    }
    if (queued.isEmpty() && !closing) {
      channel.config().setAutoRead(true);
      channel.read();
    }
  }

  @Override
  public void reset(ActiveStream stream) {
    if (stream == current) {
      current = null;
      tracker.streamEnded();
    }
    closing = true;
    channel.close();
  }

  @Override
  public FilterCallbacks.UpgradedTunnel upgrade(
      ActiveStream stream, Consumer<ByteBuf> fromDownstream, Runnable downstreamClosed) {
    tunnelIn = fromDownstream;
    tunnelClosed = downstreamClosed;
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    channel.config().setAutoRead(true);
    cfg.stats().cxUpgradesTotal.inc();
    cfg.stats().cxUpgradesActive.inc();
    channel.closeFuture().addListener(f -> cfg.stats().cxUpgradesActive.dec());
    // the 101 head has been written through the codec; from here on bytes pass untouched
    if (channel.pipeline().get(codecName) != null) {
      channel.pipeline().remove(codecName);
    }
    if (channel.pipeline().get(codecName + "-encoder") != null) {
      channel.pipeline().remove(codecName + "-encoder");
    }
    return new FilterCallbacks.UpgradedTunnel() {
      @Override
      public void write(ByteBuf bytes) {
        channel.writeAndFlush(bytes);
      }

      @Override
      public void close() {
        tunnelClosed = null;
        channel.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .addListener(ChannelFutureListener.CLOSE);
      }
    };
  }

  /** Draining: close now when idle, else after the current response. */
  private void drain() {
    if (current == null) {
      channel.close();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
