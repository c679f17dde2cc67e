package weft.proxy.server;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An h2c prior-knowledge client that writes HEADERS, DATA and RST_STREAM frames itself, so tests
 * can interleave streams, stop mid-body and watch flow control (test-side child channels are fine:
 * the proxy is what is under test).
 */
final class H2FrameClient implements AutoCloseable {
  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel conn;

  /** One stream: what came back, and how many request body bytes left this client. */
  static final class Stream {
    final Http2StreamChannel channel;
    final CompletableFuture<Stream> done = new CompletableFuture<>();
    final AtomicLong sent = new AtomicLong();
    volatile Http2Headers head;
    volatile Http2Headers trailers;
    volatile long resetCode = -1;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();

    Stream(Http2StreamChannel channel) {
      this.channel = channel;
    }

    int status() {
      return Integer.parseInt(head.status().toString());
    }

    String bodyText() {
      synchronized (body) {
        return body.toString(java.nio.charset.StandardCharsets.UTF_8);
      }
    }

    int id() {
      return channel.stream().id();
    }
  }

  H2FrameClient(int port) throws InterruptedException {
    conn = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            ch.pipeline().addLast(Http2FrameCodecBuilder.forClient().build(),
                new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
          }
        })
        .connect("127.0.0.1", port).sync().channel();
  }

  Http2FrameCodec codec() {
    return conn.pipeline().get(Http2FrameCodec.class);
  }

  /** Opens a stream and sends its request head. */
  Stream open(String method, String path, boolean endStream) throws Exception {
    CompletableFuture<Stream> opened = new CompletableFuture<>();
    Stream[] holder = new Stream[1];
    new Http2StreamChannelBootstrap(conn).handler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Stream s = holder[0];
        try {
          if (msg instanceof Http2HeadersFrame h) {
            if (s.head == null) {
              s.head = h.headers();
            } else {
              s.trailers = h.headers();
            }
            if (h.isEndStream()) {
              s.done.complete(s);
            }
          } else if (msg instanceof Http2DataFrame d) {
            synchronized (s.body) {
              d.content().readBytes(s.body, d.content().readableBytes());
            }
            if (d.isEndStream()) {
              s.done.complete(s);
            }
          } else if (msg instanceof Http2ResetFrame r) {
            s.resetCode = r.errorCode();
            s.done.complete(s);
          }
        } catch (java.io.IOException e) {
          s.done.completeExceptionally(e);
        } finally {
          io.netty.util.ReferenceCountUtil.release(msg);
        }
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        holder[0].done.complete(holder[0]);
      }
    }).open().addListener(f -> {
      if (!f.isSuccess()) {
        opened.completeExceptionally(f.cause());
        return;
      }
      Http2StreamChannel ch = (Http2StreamChannel) f.getNow();
      holder[0] = new Stream(ch);
      Http2Headers h = new DefaultHttp2Headers().method(method).path(path).scheme("http")
          .authority("example.com");
      ch.writeAndFlush(new DefaultHttp2HeadersFrame(h, endStream));
      opened.complete(holder[0]);
    });
    return opened.get(5, TimeUnit.SECONDS);
  }

  /** Sends one DATA frame; {@link Stream#sent} counts it once it has left (window permitting). */
  void data(Stream s, ByteBuf bytes, boolean endStream) {
    int n = bytes.readableBytes();
    s.channel.writeAndFlush(new DefaultHttp2DataFrame(bytes, endStream)).addListener(f -> {
      if (f.isSuccess()) {
        s.sent.addAndGet(n);
      }
    });
  }

  void data(Stream s, String text, boolean endStream) {
    data(s, Unpooled.copiedBuffer(text, java.nio.charset.StandardCharsets.UTF_8), endStream);
  }

  void reset(Stream s) {
    s.channel.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.CANCEL));
  }

  @Override
  public void close() {
    conn.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }
}
