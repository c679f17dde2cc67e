package weft.proxy.http1;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A test-scope stand-in for weft's HTTP connection manager, just enough to run the HTTP/1.1
 * conformance suite ({@code /work/shared/conformance/http1/run.py}) against
 * {@link Http1RequestDecoder} before the real proxy exists. It applies what proxy.yaml configures:
 * {@code /smuggled*} and {@code x-block: yes} answered 403 locally, no upgrade configs (upgrades
 * 403 and close), everything else forwarded to the backend on a fresh connection per request,
 * responses in request order, protocol errors answered with {@code connection: close}.
 *
 * <p>Usage: {@code Http1ConformanceHarness [listenPort=19300] [backendPort=19301]}. Not a proxy:
 * it aggregates bodies and never streams.
 */
public final class Http1ConformanceHarness {
  private Http1ConformanceHarness() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 19300;
    int backendPort = args.length > 1 ? Integer.parseInt(args[1]) : 19301;
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(NioServerSocketChannel.class)
              .childHandler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(new HttpResponseEncoder())
                          .addLast(new Http1RequestDecoder())
                          .addLast(new Downstream(backendPort));
                    }
                  })
              .bind("127.0.0.1", port)
              .sync()
              .channel();
      System.out.println("http1 conformance harness on 127.0.0.1:" + port + " -> 127.0.0.1:" + backendPort);
      server.closeFuture().sync();
    } finally {
      group.shutdownGracefully();
    }
  }

  /** One request (or the protocol error) waiting for its turn to be answered. */
  private static final class Exchange {
    final Http1Request head;
    final Http1ProtocolError error;
    final CompositeByteBuf body;
    boolean complete;

    Exchange(Http1Request head, Http1ProtocolError error) {
      this.head = head;
      this.error = error;
      this.body = head == null ? null : Unpooled.compositeBuffer(1024);
    }
  }

  private static final class Downstream extends ChannelInboundHandlerAdapter {
    private final int backendPort;
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    private boolean busy;
    private boolean closing;

    Downstream(int backendPort) {
      this.backendPort = backendPort;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof Http1ProtocolError error) {
        Exchange last = queue.peekLast();
        if (last != null && !last.complete && last.head != null) {
          // the request broke mid-body: it was never forwarded, drop it for the error
          queue.pollLast().body.release();
        }
        Exchange e = new Exchange(null, error);
        e.complete = true;
        queue.add(e);
      } else if (msg instanceof Http1Request request) {
        queue.add(new Exchange(request, null));
        if (HttpUtil.is100ContinueExpected(request) && queue.size() == 1 && !busy) {
          // Envoy answers 100-continue itself (proxy_100_continue: false) and strips Expect
          ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        }
      } else if (msg instanceof HttpContent content) {
        Exchange e = queue.peekLast();
        e.body.addComponent(true, content.content().retain());
        if (content instanceof LastHttpContent) {
          e.complete = true;
        }
        content.release();
      } else {
        throw new IllegalStateException("unexpected " + msg);
      }
      next(ctx);
    }

    private void next(ChannelHandlerContext ctx) {
      if (busy || closing || queue.isEmpty() || !queue.peekFirst().complete) {
        return;
      }
      Exchange e = queue.pollFirst();
      if (e.error != null) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(e.error.status());
        reply(ctx, status, e.error.details(), true);
        return;
      }
      Http1Request r = e.head;
      boolean close = !HttpUtil.isKeepAlive(r);
      if (r.isUpgrade()) {
        e.body.release();
        reply(ctx, HttpResponseStatus.FORBIDDEN, "upgrade_failed", true);
      } else if (r.uri().startsWith("/smuggled")) {
        e.body.release();
        reply(ctx, HttpResponseStatus.FORBIDDEN, "direct_response", close);
      } else if ("yes".equals(r.headers().get("x-block"))) {
        e.body.release();
        reply(ctx, HttpResponseStatus.FORBIDDEN, "direct_response", close);
      } else {
        forward(ctx, e, close);
      }
    }

    private void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String details, boolean close) {
      ByteBuf body = Unpooled.copiedBuffer(details + "\n", StandardCharsets.US_ASCII);
      FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      finish(ctx, response, close);
    }

    private void finish(ChannelHandlerContext ctx, FullHttpResponse response, boolean close) {
      if (close) {
        closing = true;
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        releaseQueue();
        return;
      }
      ctx.writeAndFlush(response);
      busy = false;
      next(ctx);
    }

    private void forward(ChannelHandlerContext ctx, Exchange e, boolean close) {
      busy = true;
      Http1Request r = e.head;
      DefaultFullHttpRequest upstream =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, r.method(), r.uri(), e.body);
      copyEndToEnd(r.headers(), upstream.headers());
      upstream.headers().remove(HttpHeaderNames.EXPECT);
      // re-frame: the body is aggregated, so Content-Length describes it exactly
      if (e.body.isReadable() || r.framing() != Http1Request.Framing.NONE) {
        upstream.headers().set(HttpHeaderNames.CONTENT_LENGTH, e.body.readableBytes());
      }
      new Bootstrap()
          .group(ctx.channel().eventLoop())
          .channel(NioSocketChannel.class)
          .handler(
              new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                  ch.pipeline()
                      .addLast(new HttpClientCodec())
                      .addLast(new HttpObjectAggregator(16 << 20))
                      .addLast(
                          new SimpleChannelInboundHandler<FullHttpResponse>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext up, FullHttpResponse res) {
                              up.close();
                              FullHttpResponse down =
                                  new DefaultFullHttpResponse(
                                      HttpVersion.HTTP_1_1, res.status(), res.content().retain());
                              copyEndToEnd(res.headers(), down.headers());
                              down.headers().set(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                              finish(ctx, down, close);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext up, Throwable cause) {
                              up.close();
                              if (busy && !closing) {
                                reply(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_reset", true);
                              }
                            }
                          });
                }
              })
          .connect("127.0.0.1", backendPort)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.isSuccess()) {
                      f.channel().writeAndFlush(upstream);
                    } else {
                      upstream.release();
                      reply(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, "upstream_connect_failure", true);
                    }
                  });
    }

    /** Copies all but hop-by-hop fields (RFC 9110 §7.6.1), as the manager must. */
    private static void copyEndToEnd(HttpHeaders from, HttpHeaders to) {
      List<String> nominated = from.getAll(HttpHeaderNames.CONNECTION);
      for (Iterator<Map.Entry<CharSequence, CharSequence>> it = from.iteratorCharSequence();
          it.hasNext(); ) {
        Map.Entry<CharSequence, CharSequence> h = it.next();
        String name = h.getKey().toString().toLowerCase(java.util.Locale.ROOT);
        switch (name) {
          case "connection", "keep-alive", "proxy-connection", "te", "transfer-encoding", "upgrade",
              "content-length" -> {}
          default -> {
            boolean hop = false;
            for (String list : nominated) {
              hop |= ConnectionHeader.hasToken(list, name);
            }
            if (!hop) {
              to.add(h.getKey(), h.getValue());
            }
          }
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      releaseQueue();
      ctx.fireChannelInactive();
    }

    private void releaseQueue() {
      for (Exchange e : queue) {
        if (e.body != null) {
          e.body.release();
        }
      }
      queue.clear();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }
}
