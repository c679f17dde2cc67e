package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.util.ReferenceCountUtil;
import java.util.function.Consumer;

/** One HTTP/2 stream (a multiplexed child channel) carrying one {@link ActiveStream}. */
final class Http2ServerStream extends ChannelInboundHandlerAdapter implements ResponseSink {
  private final HcmConfig cfg;
  private final ConnectionTracker tracker;
  private Channel channel;
  private ActiveStream stream;

  Http2ServerStream(HcmConfig cfg, ConnectionTracker tracker) {
    this.cfg = cfg;
    this.tracker = tracker;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest req && stream == null) {
      tracker.streamStarted();
      stream = new ActiveStream(cfg, this, tracker.connection());
      stream.start(req, false);
      return;
    }
    if (msg instanceof HttpContent c && stream != null) {
      stream.onData(c);
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (stream != null && !stream.isDone()) {
      stream.onDownstreamReset();
      tracker.streamEnded();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public EventLoop eventLoop() {
    return channel.eventLoop();
  }

  @Override
  public boolean isHttp2() {
    return true;
  }

  @Override
  public ByteBufAllocator alloc() {
    return channel.alloc();
  }

  @Override
  public void writeContinue() {
    // HTTP/2 clients do not wait for 100-continue from weft: the request body simply flows
  }

  @Override
  public void writeHead(ActiveStream s, HttpResponse response) {
    channel.writeAndFlush(response);
  }

  @Override
  public void writeContent(HttpContent content) {
    channel.writeAndFlush(content);
  }

  @Override
  public void complete(ActiveStream s) {
    tracker.streamEnded();
  }

  @Override
  public void reset(ActiveStream s) {
    tracker.streamEnded();
    channel.close();
  }

  @Override
  public FilterCallbacks.UpgradedTunnel upgrade(
      ActiveStream s, Consumer<ByteBuf> fromDownstream, Runnable downstreamClosed) {
    throw new IllegalStateException("upgrade over HTTP/2 (extended CONNECT) is not supported");
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
