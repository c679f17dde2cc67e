package weft.bench.load;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * New TLS connections per second: each of {@code concurrency} loops opens a connection, completes a
 * full (non-resumed: the client context caches no sessions for reuse) handshake, sends one GET,
 * reads the response and closes, then starts over. Counts connections whose request returned 200.
 */
public final class TlsHandshakes {
  private TlsHandshakes() {}

  public static ThroughputResult run(ClientGroup clients, LoadTarget target, SslContext client, int concurrency,
      Duration duration) throws InterruptedException {
    LongAdder ok = new LongAdder();
    LongAdder errors = new LongAdder();
    ClosedLoop.Window window = new ClosedLoop.Window();
    window.open = true;
    long start = System.nanoTime();
    for (int i = 0; i < concurrency; i++) {
      connect(clients, target, client, window, ok, errors);
    }
    Thread.sleep(duration.toMillis());
    window.open = false;
    double seconds = (System.nanoTime() - start) / 1e9;
    return new ThroughputResult(ok.sum(), errors.sum(), seconds);
  }

  private static void connect(ClientGroup clients, LoadTarget target, SslContext ssl, ClosedLoop.Window window,
      LongAdder ok, LongAdder errors) {
    if (!window.open) {
      return;
    }
    clients.bootstrap(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        // a fresh engine without peer host/port so the JDK/OpenSSL client cannot resume a session
        SslHandler tls = ssl.newHandler(ch.alloc());
        ch.pipeline().addLast(tls, new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
            new SimpleChannelInboundHandler<FullHttpResponse>() {
              boolean counted;

              @Override
              public void channelActive(ChannelHandlerContext ctx) {
                tls.handshakeFuture().addListener(f -> {
                  if (f.isSuccess()) {
                    H1Requests.send(ctx.channel(), target);
                  } else {
                    ctx.close();
                  }
                });
                ctx.fireChannelActive();
              }

              @Override
              protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse res) {
                counted = true;
                if (window.open) {
                  (res.status().code() == 200 ? ok : errors).increment();
                }
                ctx.close();
              }

              @Override
              public void channelInactive(ChannelHandlerContext ctx) {
                if (!counted && window.open) {
                  errors.increment();
                }
                connect(clients, target, ssl, window, ok, errors);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
              }
            });
      }
    }).connect(target.host(), target.port()).addListener(f -> {
      if (!f.isSuccess()) {
        errors.increment();
        if (window.open) {
          clients.group().next().schedule(() -> connect(clients, target, ssl, window, ok, errors), 10,
              java.util.concurrent.TimeUnit.MILLISECONDS);
        }
      }
    });
  }
}
