package weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.HttpConversionUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.SocketAddress;

/** One exchange on an HTTP/2 stream child channel, translated to HTTP objects. */
final class Http2Exchange extends ChannelInboundHandlerAdapter implements UpstreamStream {
  private final UpstreamListener listener;
  private Channel channel;
  private boolean done;
  private long resetCode = -1;

  Http2Exchange(UpstreamListener listener) {
    this.listener = listener;
  }

  void ready(Channel ch) {
    this.channel = ch;
    listener.onReady(this);
  }

  @Override
  public void write(HttpObject message) {
    if (message instanceof io.netty.handler.codec.http.HttpRequest req) {
      // the stream codec takes :scheme from this extension header (default http); it encodes the
      // head during this write, so the shared request header map gets the header only meanwhile
      var h = req.headers();
      boolean added = !h.contains(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
      if (added) {
        h.set(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text(), "http");
      }
      channel.writeAndFlush(message);
      if (added) {
        h.remove(HttpConversionUtil.ExtensionHeaderNames.SCHEME.text());
      }
      return;
    }
    channel.writeAndFlush(message);
  }

  @Override
  public void writeRaw(io.netty.buffer.ByteBuf bytes) {
    bytes.release();
    throw new IllegalStateException("no byte tunnel over HTTP/2 upstreams");
  }

  @Override
  public void reset() {
    done = true;
    if (channel != null) {
      channel.close();
    }
  }

  @Override
  public Channel channel() {
    return channel;
  }

  @Override
  public SocketAddress localAddress() {
    return channel.parent().localAddress();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpResponse res) {
      int code = res.status().code();
      if (code >= 100 && code < 200) {
        ReferenceCountUtil.release(msg);
        return;
      }
      res.headers().remove(HttpConversionUtil.ExtensionHeaderNames.STREAM_ID.text());
      listener.onResponseHeaders(res);
    }
    if (msg instanceof HttpContent c) {
      if (c instanceof LastHttpContent) {
        done = true;
      }
      listener.onResponseData(c);
    } else if (!(msg instanceof HttpResponse)) {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof Http2ResetFrame rst) {
      resetCode = rst.errorCode();
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!done) {
      done = true;
      if (resetCode == Http2Error.REFUSED_STREAM.code()) {
        listener.onFailure(UpstreamFailure.REFUSED_STREAM, "refused stream");
      } else if (resetCode >= 0) {
        listener.onFailure(UpstreamFailure.REMOTE_RESET, "remote reset");
      } else {
        listener.onFailure(UpstreamFailure.CONNECTION_TERMINATION, "upstream closed the connection");
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
