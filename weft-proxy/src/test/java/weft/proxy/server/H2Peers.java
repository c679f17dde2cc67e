package weft.proxy.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
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
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/** HTTP/2 (h2c prior knowledge) test peers: a backend answering with trailers, and a client. */
final class H2Peers {
  private H2Peers() {}

  /** An h2c backend: echoes method, path and body; adds trailer {@code grpc-status: 0}. */
  static final class Backend implements AutoCloseable {
    final ConcurrentLinkedQueue<FullHttpRequest> seen = new ConcurrentLinkedQueue<>();
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    Backend() throws InterruptedException {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childHandler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forServer().build(),
                  new Http2MultiplexHandler(new ChannelInitializer<Http2StreamChannel>() {
                    @Override
                    protected void initChannel(Http2StreamChannel sc) {
                      sc.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(true),
                          new HttpObjectAggregator(1 << 20),
                          new SimpleChannelInboundHandler<FullHttpRequest>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest r) {
                              seen.add(r.retainedDuplicate());
                              String body = "h2 " + r.method() + " " + r.uri() + " "
                                  + r.content().toString(StandardCharsets.UTF_8);
                              FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                                  HttpResponseStatus.OK,
                                  Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
                              res.headers().set("content-type", "application/grpc");
                              res.trailingHeaders().set("grpc-status", "0");
                              ctx.writeAndFlush(res);
                            }
                          });
                    }
                  }));
            }
          })
          .bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
      return ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() {
      seen.forEach(FullHttpRequest::release);
      server.close().awaitUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }

  /** An h2c prior-knowledge client over one connection. */
  static final class Client implements AutoCloseable {
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel conn;
    /** Completes when the server sends GOAWAY. */
    final CompletableFuture<Long> goAway = new CompletableFuture<>();

    Client(int port) throws InterruptedException {
      conn = new Bootstrap().group(group).channel(NioSocketChannel.class)
          .handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
              ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                  new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                  new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext ctx, Object msg) {
                      if (msg instanceof io.netty.handler.codec.http2.Http2GoAwayFrame g) {
                        goAway.complete(g.errorCode());
                      }
                      io.netty.util.ReferenceCountUtil.release(msg);
                    }

                    @Override
                    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                      if (evt instanceof io.netty.handler.codec.http2.Http2GoAwayFrame g) {
                        goAway.complete(g.errorCode());
                      }
                    }
                  });
            }
          })
          .connect("127.0.0.1", port).sync().channel();
    }

    /** Sends {@code req} on a new stream; completes with the aggregated response. */
    CompletableFuture<FullHttpResponse> send(FullHttpRequest req) {
      CompletableFuture<FullHttpResponse> result = new CompletableFuture<>();
      new Http2StreamChannelBootstrap(conn).handler(new ChannelInitializer<Http2StreamChannel>() {
        @Override
        protected void initChannel(Http2StreamChannel ch) {
          ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false),
              new HttpObjectAggregator(1 << 20),
              new SimpleChannelInboundHandler<FullHttpResponse>() {
                @Override
                protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse r) {
                  result.complete(r.retainedDuplicate());
                }

                @Override
                public void channelInactive(ChannelHandlerContext ctx) {
                  result.completeExceptionally(new IllegalStateException("stream closed"));
                }
              });
        }
      }).open().addListener(f -> {
        if (!f.isSuccess()) {
          result.completeExceptionally(f.cause());
          return;
        }
        ((Http2StreamChannel) f.getNow()).writeAndFlush(req);
      });
      return result;
    }

    @Override
    public void close() {
      conn.close().awaitUninterruptibly();
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }
  }
}
