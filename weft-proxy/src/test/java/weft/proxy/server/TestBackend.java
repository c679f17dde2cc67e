package weft.proxy.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

/**
 * An in-process HTTP/1.1 backend on port 0 for proxy tests: records every request and answers
 * through a handler (default: 200 with body {@code <name> <method> <uri>}).
 */
final class TestBackend implements AutoCloseable {
  /** A request as the backend saw it. */
  record Seen(String method, String uri, Map<String, String> headers, String body) {}

  final String name;
  final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  volatile Function<FullHttpRequest, FullHttpResponse> handler;

  /** Returned by a handler: never answer (the connection stays open). */
  static final FullHttpResponse HANG = text(599, "hang");

  TestBackend(String name) throws InterruptedException {
    this.name = name;
    this.handler = req -> text(200, name + " " + req.method() + " " + req.uri());
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20),
                new SimpleChannelInboundHandler<FullHttpRequest>() {
                  @Override
                  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
                    Map<String, String> h = new java.util.LinkedHashMap<>();
                    req.headers().forEach(e -> h.merge(e.getKey().toLowerCase(), e.getValue(),
                        (a, b) -> a + "," + b));
                    seen.add(new Seen(req.method().name(), req.uri(), h,
                        req.content().toString(StandardCharsets.UTF_8)));
                    FullHttpResponse res = handler.apply(req);
                    if (res == HANG) {
                      return;
                    }
                    if (res == null) {
                      ctx.close();
                      return;
                    }
                    HttpUtil.setContentLength(res, res.content().readableBytes());
                    boolean keepAlive = HttpUtil.isKeepAlive(req);
                    var f = ctx.writeAndFlush(res);
                    if (!keepAlive) {
                      f.addListener(io.netty.channel.ChannelFutureListener.CLOSE);
                    }
                  }
                });
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
  }

  int port() {
    return ((java.net.InetSocketAddress) server.localAddress()).getPort();
  }

  List<Seen> requests() {
    return List.copyOf(seen);
  }

  static FullHttpResponse text(int status, String body) {
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status),
        Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8)));
    r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain");
    return r;
  }


  @Override
  public void close() {
    // bounded and interruptible: a handler that blocks the backend's loop (tests that hold a
    // response) must not turn a failed assertion into a hung test run
    try {
      server.close().await(5, java.util.concurrent.TimeUnit.SECONDS);
      group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
          .await(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
