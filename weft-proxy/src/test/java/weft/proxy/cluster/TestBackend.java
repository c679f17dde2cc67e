package weft.proxy.cluster;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** A tiny server on 127.0.0.1 port 0 for health-check tests: HTTP with a settable status, or TCP. */
final class TestBackend implements AutoCloseable {
  final AtomicInteger status = new AtomicInteger(200);
  final ConcurrentLinkedQueue<FullHttpRequest> requests = new ConcurrentLinkedQueue<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  private TestBackend(ChannelInitializer<Channel> init) {
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(init)
            .bind("127.0.0.1", 0)
            .syncUninterruptibly()
            .channel();
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  static TestBackend http() {
    TestBackend[] self = new TestBackend[1];
    self[0] =
        new TestBackend(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel ch) {
                ch.pipeline()
                    .addLast(new HttpServerCodec(), new HttpObjectAggregator(1024))
                    .addLast(
                        new SimpleChannelInboundHandler<FullHttpRequest>() {
                          @Override
                          protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest rq) {
                            self[0].requests.add(rq.retainedDuplicate());
                            var rs =
                                new DefaultFullHttpResponse(
                                    HttpVersion.HTTP_1_1,
                                    HttpResponseStatus.valueOf(self[0].status.get()),
                                    Unpooled.copiedBuffer("ok", StandardCharsets.UTF_8));
                            rs.headers().set(HttpHeaderNames.CONTENT_LENGTH, 2);
                            ctx.writeAndFlush(rs);
                          }
                        });
              }
            });
    return self[0];
  }

  /** A TCP server answering each read with {@code reply.apply(bytes)} (null: say nothing). */
  static TestBackend tcp(Function<String, String> reply) {
    return new TestBackend(
        new ChannelInitializer<>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline()
                .addLast(
                    new ChannelInboundHandlerAdapter() {
                      @Override
                      public void channelRead(ChannelHandlerContext ctx, Object msg) {
                        ByteBuf b = (ByteBuf) msg;
                        String in = b.toString(StandardCharsets.ISO_8859_1);
                        b.release();
                        String out = reply.apply(in);
                        if (out != null) {
                          ctx.writeAndFlush(Unpooled.copiedBuffer(out, StandardCharsets.ISO_8859_1));
                        }
                      }
                    });
          }
        });
  }

  private boolean closed;

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    server.close().syncUninterruptibly();
    requests.forEach(FullHttpRequest::release);
    group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
