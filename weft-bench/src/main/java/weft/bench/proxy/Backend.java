package weft.bench.proxy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.Arrays;

/**
 * The built-in backend used when nginx is not installed: HTTP/1.1 keep-alive and h2c (prior
 * knowledge) on one port; {@code /large} answers 16 KiB, anything else ~100 B. Bodies are
 * pre-built and shared (retainedDuplicate) so the backend costs as little as possible.
 */
public final class Backend implements AutoCloseable {
  public static final int SMALL_BYTES = 100;
  public static final int LARGE_BYTES = 16 * 1024;

  private static final ByteBuf SMALL = body(SMALL_BYTES);
  private static final ByteBuf LARGE = body(LARGE_BYTES);

  private final EventLoopGroup group;
  private final Channel server;

  private Backend(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  public static Backend start(int threads) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
    Channel ch = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel c) {
            c.pipeline().addLast(new ProtocolSniffer());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    return new Backend(group, ch);
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static ByteBuf body(int size) {
    byte[] b = new byte[size];
    Arrays.fill(b, (byte) 'w');
    b[size - 1] = '\n';
    return Unpooled.unreleasableBuffer(Unpooled.directBuffer(size).writeBytes(b)).asReadOnly();
  }

  private static ByteBuf bodyFor(String path) {
    return (path.startsWith("/large") ? LARGE : SMALL).duplicate();
  }

  /** h2c prior knowledge when the connection starts with the HTTP/2 preface, else HTTP/1.1. */
  private static final class ProtocolSniffer extends ByteToMessageDecoder {
    private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
      int n = Math.min(in.readableBytes(), PREFACE.readableBytes());
      boolean h2 = ByteBufUtil.equals(in, in.readerIndex(), PREFACE, 0, n);
      if (h2 && n < PREFACE.readableBytes()) {
        return; // could still be the preface: wait for more bytes
      }
      if (h2) {
        ctx.pipeline().addAfter(ctx.name(), null, new H2());
        ctx.pipeline().addAfter(ctx.name(), null, Http2FrameCodecBuilder.forServer().build());
      } else {
        ctx.pipeline().addAfter(ctx.name(), null, new H1());
        ctx.pipeline().addAfter(ctx.name(), null, new HttpObjectAggregator(1 << 16));
        ctx.pipeline().addAfter(ctx.name(), null, new HttpServerCodec());
      }
      ctx.pipeline().remove(this);
    }
  }

  private static final class H1 extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      ByteBuf content = bodyFor(req.uri());
      FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
      res.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      ctx.write(res);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  @ChannelHandler.Sharable
  private static final class H2 extends io.netty.channel.ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof Http2HeadersFrame hf) {
          CharSequence path = hf.headers().path();
          ByteBuf content = bodyFor(path == null ? "/" : path.toString());
          var headers = new DefaultHttp2Headers().status("200").set("content-type", "text/plain")
              .setInt("content-length", content.readableBytes());
          ctx.write(new DefaultHttp2HeadersFrame(headers).stream(hf.stream()));
          ctx.write(new DefaultHttp2DataFrame(content, true).stream(hf.stream()));
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  static String describe() {
    return "built-in Netty HTTP/1.1 + h2c server (" + SMALL_BYTES + " B and " + LARGE_BYTES + " B bodies)"
;
  }
}
