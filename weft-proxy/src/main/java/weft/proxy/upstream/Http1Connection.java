package weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;
import weft.proxy.http.Deadline;
import weft.proxy.http1.Http1ProtocolError;
import weft.proxy.http1.Http1ResponseDecoder;

/**
 * One upstream HTTP/1.1 connection: carries one exchange at a time and goes back to its pool's
 * idle list when both the request and a keep-alive response are complete. Event-loop confined.
 */
final class Http1Connection extends ChannelInboundHandlerAdapter implements UpstreamStream {
  static final String ENCODER = "codec-encoder";
  static final String DECODER = "codec";

  private final Channel channel;
  private final Http1Pool pool;
  private final Http1ResponseDecoder decoder;
  private UpstreamListener listener;
  private boolean requestDone;
  private boolean responseDone;
  private boolean responseStarted;
  private boolean keepAlive;
  private boolean upgraded;
  private boolean skipInformational;

  Http1Connection(Channel channel, Http1Pool pool, Http1ResponseDecoder decoder) {
    this.channel = channel;
    this.pool = pool;
    this.decoder = decoder;
    this.idleTimer = new Deadline(() -> pool.idleExpired(this));
  }

  /** The cluster's idle_timeout while this connection waits in the pool's idle list. */
  final Deadline idleTimer;

  private long requests;

  /** Starts an exchange on this (idle or new) connection. */
  void attach(UpstreamListener l) {
    idleTimer.cancel();
    requests++;
    this.listener = l;
    requestDone = false;
    responseDone = false;
    responseStarted = false;
    keepAlive = true;
    l.onReady(this);
  }

  boolean isUsable() {
    return channel.isActive() && listener == null;
  }

  @Override
  public void write(HttpObject message) {
    if (!channel.isActive()) {
      ReferenceCountUtil.release(message);
      return;
    }
    if (message instanceof io.netty.handler.codec.http.HttpRequest req) {
      decoder.expectResponseTo(req.method());
      if (!HttpUtil.isKeepAlive(req)) {
        keepAlive = false;
      }
    }
    // void promise: nobody listens; a failed write reaches exceptionCaught, which closes
    if (message instanceof LastHttpContent) {
      requestDone = true;
      channel.writeAndFlush(message, channel.voidPromise());
      maybeRelease();
    } else {
      channel.writeAndFlush(message, channel.voidPromise());
    }
  }

  @Override
  public void writeRaw(io.netty.buffer.ByteBuf bytes) {
    channel.writeAndFlush(bytes);
  }

  @Override
  public void reset() {
    listener = null;
    channel.close();
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public SocketAddress localAddress() {
    return channel.localAddress();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    UpstreamListener l = listener;
    if (l == null) {
      // a response nobody asked for: the connection is out of sync, never reuse it
      ReferenceCountUtil.release(msg);
      ctx.close();
      return;
    }
    if (msg instanceof Http1ProtocolError) {
      // the upstream's bytes cannot be framed: never reuse the connection (Envoy: protocol error)
      listener = null;
      ctx.close();
      if (!responseDone) {
        l.onFailure(UpstreamFailure.PROTOCOL_ERROR, "upstream protocol error");
      }
      return;
    }
    if (upgraded && !(msg instanceof HttpObject)) {
      l.onResponseData(new io.netty.handler.codec.http.DefaultHttpContent((io.netty.buffer.ByteBuf) msg));
      return;
    }
    if (msg instanceof HttpResponse res) {
      int code = res.status().code();
      if (code >= 100 && code < 200 && code != 101) {
        // informational responses are not forwarded; the final response follows
        ReferenceCountUtil.release(msg);
        skipInformational = true;
        return;
      }
      if (code == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
        upgraded = true;
      }
      if (!HttpUtil.isKeepAlive(res)) {
        keepAlive = false;
      }
      responseStarted = true;
      l.onResponseHeaders(res);
      if (upgraded && channel.pipeline().get(DECODER) != null) {
        // from here on the connection is a byte tunnel; leftover bytes reach us as ByteBufs
        channel.pipeline().remove(ENCODER);
        channel.pipeline().remove(DECODER);
      }
      if (!(msg instanceof HttpContent)) {
        return;
      }
    }
    if (msg instanceof HttpContent c) {
      if (skipInformational) {
        c.release();
        if (c instanceof LastHttpContent) {
          skipInformational = false;
        }
        return;
      }
      if (upgraded && c instanceof LastHttpContent && c.content().readableBytes() == 0) {
        // the codec marks the end of the 101 head; the tunnel bytes follow raw
        c.release();
        return;
      }
      boolean last = c instanceof LastHttpContent;
      if (last) {
        responseDone = true;
      }
      l.onResponseData(c);
      if (last) {
        maybeRelease();
      }
      return;
    }
    ReferenceCountUtil.release(msg);
  }

  private void maybeRelease() {
    if (requestDone && responseDone) {
      listener = null;
      long max = pool.maxRequestsPerConnection();
      if (keepAlive && channel.isActive() && (max <= 0 || requests < max)) {
        pool.release(this);
      } else {
        channel.close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    pool.remove(this);
    UpstreamListener l = listener;
    listener = null;
    if (l != null && !responseDone) {
      if (upgraded) {
        l.onResponseData(LastHttpContent.EMPTY_LAST_CONTENT);
      } else {
        l.onFailure(UpstreamFailure.CONNECTION_TERMINATION, "upstream closed the connection");
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  boolean responseStarted() {
    return responseStarted;
  }
}
