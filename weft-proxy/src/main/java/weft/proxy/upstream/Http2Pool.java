package weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.flush.FlushConsolidationHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTP/2 pool for one host on one event loop: multiplexes exchanges over as few connections as
 * the stream limits allow (min of the cluster's max_concurrent_streams and the peer's SETTINGS).
 */
final class Http2Pool implements HostPool {
  /**
   * Receive windows for responses: 256 KiB per stream, 1 MiB per connection (weft's defaults, as
   * for downstream HTTP/2 in HttpCodecs), so that many concurrent responses on one pooled
   * connection are not paced by the 64 KiB protocol default.
   */
  static final int STREAM_WINDOW = 256 * 1024;
  static final int CONNECTION_WINDOW = 1024 * 1024;

  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final String hostname;
  private final PoolSettings settings;
  private final ConnectionEvents events;
  private final List<Conn> conns = new ArrayList<>();
  private boolean closed;

  Http2Pool(Bootstrap base, InetSocketAddress address, String hostname, PoolSettings settings,
      ConnectionEvents events) {
    this.bootstrap = base.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            Math.max(1, settings.connectTimeout().toMillis())));
    this.address = address;
    this.hostname = hostname;
    this.settings = settings;
    this.events = events;
  }

  /** One HTTP/2 connection and the exchanges waiting for it to come up. */
  private final class Conn {
    Channel channel;
    Http2FrameCodec codec;
    boolean ready;
    int active;
    long opened;
    int idleGeneration;
    final List<UpstreamListener> waiting = new ArrayList<>();

    boolean hasCapacity() {
      if (channel != null && !channel.isActive()) {
        return false;
      }
      long maxRequests = settings.maxRequestsPerConnection();
      if (maxRequests > 0 && opened + waiting.size() >= maxRequests) {
        return false; // max_requests_per_connection: this connection takes no new streams
      }
      int limit = settings.maxConcurrentStreams();
      if (ready) {
        limit = Math.min(limit, codec.connection().local().maxActiveStreams());
        if (!codec.connection().local().canOpenStream() || codec.connection().goAwayReceived()) {
          return false;
        }
      }
      return active + waiting.size() < limit;
    }
  }

  /**
   * The connection window starts at 65,535 whatever SETTINGS say (RFC 9113 §6.9.2): once the codec
   * has sent its preface (it does so on channelActive, before passing the event on), a
   * connection-level WINDOW_UPDATE through the codec raises it to {@link #CONNECTION_WINDOW}.
   */
  private static final class ConnectionWindow extends ChannelInboundHandlerAdapter {
    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(CONNECTION_WINDOW - Http2CodecUtil.DEFAULT_WINDOW_SIZE));
      ctx.pipeline().remove(this);
      super.channelActive(ctx);
    }
  }

  @Override
  public Cancellable newStream(UpstreamListener listener) {
    for (Conn c : conns) {
      if (c.hasCapacity()) {
        return start(c, listener);
      }
    }
    if (!events.tryAcquireConnection()) {
      listener.onFailure(UpstreamFailure.OVERFLOW, "connections overflow");
      return () -> {};
    }
    Conn c = connect();
    return start(c, listener);
  }

  private Cancellable start(Conn c, UpstreamListener listener) {
    if (c.ready) {
      open(c, listener);
      return () -> {};
    }
    if (!events.tryAcquirePending()) {
      listener.onFailure(UpstreamFailure.OVERFLOW, "pending requests overflow");
      return () -> {};
    }
    c.waiting.add(listener);
    return () -> {
      if (c.waiting.remove(listener)) {
        events.releasePending();
      }
    };
  }

  private Conn connect() {
    Conn c = new Conn();
    conns.add(c);
    ChannelFuture f = bootstrap.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        if (settings.tls() != null) {
          ch.pipeline().addLast("tls", settings.tls().newHandler(ch.alloc(), hostname, address.getPort()));
        }
        // one write per loop turn carries every stream's frames (see HttpCodecs)
        ch.pipeline().addLast("flush", new FlushConsolidationHandler(
            FlushConsolidationHandler.DEFAULT_EXPLICIT_FLUSH_AFTER_FLUSHES, true));
        ch.pipeline().addLast("h2", Http2FrameCodecBuilder.forClient()
            .initialSettings(Http2Settings.defaultSettings().pushEnabled(false)
                .initialWindowSize(STREAM_WINDOW)).build());
        ch.pipeline().addLast("window", new ConnectionWindow());
        // the client opens every stream; the peer may not push
        ch.pipeline().addLast("mux", new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
      }
    }).connect(address);
    events.connecting();
    f.addListener((ChannelFuture cf) -> {
      if (!cf.isSuccess()) {
        events.connectFailed();
        events.releaseConnection();
        conns.remove(c);
        failAll(c, UpstreamFailure.CONNECTION_FAILURE, Http1Pool.describe(cf.cause()));
        return;
      }
      events.connected(cf.channel());
      c.channel = cf.channel();
      c.codec = cf.channel().pipeline().get(Http2FrameCodec.class);

      c.channel.closeFuture().addListener(x -> {
        conns.remove(c);
        events.releaseConnection();
      });
      if (closed) {
        c.channel.close();
        return;
      }
      TlsReady.whenReady(c.channel, () -> {
        c.ready = true;
        List<UpstreamListener> w = new ArrayList<>(c.waiting);
        c.waiting.clear();
        for (UpstreamListener l : w) {
          events.releasePending();
          open(c, l);
        }
      }, cause -> {
        conns.remove(c);
        failAll(c, UpstreamFailure.CONNECTION_FAILURE, "tls error: " + cause);
      });
    });
    return c;
  }

  private void failAll(Conn c, UpstreamFailure failure, String detail) {
    List<UpstreamListener> w = new ArrayList<>(c.waiting);
    c.waiting.clear();
    for (UpstreamListener l : w) {
      events.releasePending();
      l.onFailure(failure, detail);
    }
  }

  private void open(Conn c, UpstreamListener listener) {
    c.active++;
    c.opened++;
    c.idleGeneration++;
    Http2Exchange exchange = new Http2Exchange(listener);
    new Http2StreamChannelBootstrap(c.channel)
        .handler(new ChannelInitializer<Http2StreamChannel>() {
          @Override
          protected void initChannel(Http2StreamChannel ch) {
            ch.pipeline().addLast(new Http2StreamFrameToHttpObjectCodec(false), exchange);
          }
        })
        .open()
        .addListener(f -> {
          if (!f.isSuccess()) {
            c.active--;
            listener.onFailure(UpstreamFailure.LOCAL_RESET, "cannot open stream: " + f.cause().getMessage());
            return;
          }
          Http2StreamChannel ch = (Http2StreamChannel) f.getNow();
          ch.closeFuture().addListener(x -> {
            c.active--;
            if (c.active == 0) {
              streamsDone(c);
            }
          });
          exchange.ready(ch);
        });
  }

  /**
   * A connection with no streams left: closed when it has served max_requests_per_connection,
   * else after the cluster's idle_timeout unless a stream arrives first.
   */
  private void streamsDone(Conn c) {
    long maxRequests = settings.maxRequestsPerConnection();
    if (maxRequests > 0 && c.opened >= maxRequests) {
      c.channel.close();
      return;
    }
    long timeout = settings.idleTimeout().toMillis();
    if (timeout > 0) {
      int generation = c.idleGeneration;
      c.channel.eventLoop().schedule(() -> {
        if (c.active == 0 && c.idleGeneration == generation) {
          c.channel.close();
        }
      }, timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  @Override
  public void close() {
    closed = true;
    for (Conn c : List.copyOf(conns)) {
      if (c.channel != null) {
        c.channel.close();
      }
    }
    conns.clear();
  }
}
