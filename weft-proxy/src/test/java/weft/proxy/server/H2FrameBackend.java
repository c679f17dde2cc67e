package weft.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2FrameStream;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamFrame;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An h2c backend at frame level: decides per request (once it has ended) what to do with the
 * stream, and counts connections, requests and the resets it receives.
 */
final class H2FrameBackend implements AutoCloseable {
  /** What the backend does with a complete request. */
  interface Action {
    void onRequest(ChannelHandlerContext ctx, Http2FrameStream stream, String path);
  }

  final AtomicInteger connections = new AtomicInteger();
  final AtomicInteger requests = new AtomicInteger();
  final AtomicInteger headersSeen = new AtomicInteger();
  final AtomicInteger resetsReceived = new AtomicInteger();
  volatile Action action = (ctx, stream, path) -> answer(ctx, stream, 200, "ok " + path);
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;

  H2FrameBackend(int maxConcurrentStreams) throws InterruptedException {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            connections.incrementAndGet();
            ch.pipeline().addLast(Http2FrameCodecBuilder.forServer()
                    .initialSettings(Http2Settings.defaultSettings().maxConcurrentStreams(maxConcurrentStreams))
                    .build(),
                new ChannelInboundHandlerAdapter() {
                  private final java.util.Map<Integer, String> paths = new java.util.HashMap<>();

                  @Override
                  public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    try {
                      if (msg instanceof Http2HeadersFrame h) {
                        headersSeen.incrementAndGet();
                        paths.put(h.stream().id(), h.headers().path().toString());
                        if (h.isEndStream()) {
                          ended(ctx, h);
                        }
                      } else if (msg instanceof Http2DataFrame d && d.isEndStream()) {
                        ended(ctx, d);
                      } else if (msg instanceof Http2ResetFrame) {
                        resetsReceived.incrementAndGet();
                      }
                    } finally {
                      io.netty.util.ReferenceCountUtil.release(msg);
                    }
                  }

                  private void ended(ChannelHandlerContext ctx, Http2StreamFrame f) {
                    requests.incrementAndGet();
                    action.onRequest(ctx, f.stream(), paths.remove(f.stream().id()));
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  static void answer(ChannelHandlerContext ctx, Http2FrameStream stream, int status, String body) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status(Integer.toString(status)))
        .stream(stream));
    ctx.writeAndFlush(new DefaultHttp2DataFrame(
        Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), true).stream(stream));
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
