package weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpClientCodec;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;

/**
 * HTTP/1.1 keep-alive pool for one host on one event loop: reuses the most recently idle
 * connection (warm), otherwise connects a new one per waiting request, as Envoy's HTTP/1 pool.
 */
final class Http1Pool implements HostPool {
  private final Bootstrap bootstrap;
  private final InetSocketAddress address;
  private final String hostname;
  private final PoolSettings settings;
  private final ConnectionEvents events;
  private final ArrayDeque<Http1Connection> idle = new ArrayDeque<>();
  private boolean closed;

  Http1Pool(Bootstrap base, InetSocketAddress address, String hostname, PoolSettings settings,
      ConnectionEvents events) {
    this.bootstrap = base.clone()
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
            Math.max(1, settings.connectTimeout().toMillis())));
    this.address = address;
    this.hostname = hostname;
    this.settings = settings;
    this.events = events;
  }

  @Override
  public Cancellable newStream(UpstreamListener listener) {
    while (!idle.isEmpty()) {
      Http1Connection c = idle.pollLast();
      if (c.isUsable()) {
        c.attach(listener);
        return () -> {};
      }
    }
    if (!events.tryAcquirePending()) {
      listener.onFailure(UpstreamFailure.OVERFLOW, "pending requests overflow");
      return () -> {};
    }
    if (!events.tryAcquireConnection()) {
      events.releasePending();
      listener.onFailure(UpstreamFailure.OVERFLOW, "connections overflow");
      return () -> {};
    }
    boolean[] cancelled = new boolean[1];
    ChannelFuture f = bootstrap.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (settings.tls() != null) {
          p.addLast("tls", settings.tls().newHandler(ch.alloc(), hostname, address.getPort()));
        }
        p.addLast("codec", new HttpClientCodec(4096, 65536, 65536, true));
        p.addLast("exchange", new Http1Connection(ch, Http1Pool.this));
      }
    }).connect(address);
    events.connecting();
    f.addListener((ChannelFuture cf) -> {
      events.releasePending();
      if (!cf.isSuccess()) {
        events.connectFailed();
        events.releaseConnection();
        if (!cancelled[0]) {
          listener.onFailure(UpstreamFailure.CONNECTION_FAILURE, describe(cf.cause()));
        }
        return;
      }
      events.connected(cf.channel());
      cf.channel().closeFuture().addListener(x -> events.releaseConnection());
      if (cancelled[0] || closed) {
        cf.channel().close();
        return;
      }
      Http1Connection c = cf.channel().pipeline().get(Http1Connection.class);
      TlsReady.whenReady(cf.channel(), () -> c.attach(listener),
          cause -> listener.onFailure(UpstreamFailure.CONNECTION_FAILURE, "tls error: " + cause));
    });
    return () -> {
      cancelled[0] = true;
    };
  }

  static String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timeout";
    }
    return cause == null ? "unknown" : String.valueOf(cause.getMessage());
  }

  void release(Http1Connection c) {
    if (closed) {
      c.channel().close();
      return;
    }
    idle.addLast(c);
    long timeout = settings.idleTimeout().toMillis();
    if (timeout > 0) {
      // the cluster's idle_timeout: close a connection nobody reused in time
      int generation = c.markIdle();
      c.channel().eventLoop().schedule(() -> {
        if (c.idleGeneration() == generation && idle.remove(c)) {
          c.channel().close();
        }
      }, timeout, java.util.concurrent.TimeUnit.MILLISECONDS);
    }
  }

  long maxRequestsPerConnection() {
    return settings.maxRequestsPerConnection();
  }

  void remove(Http1Connection c) {
    idle.remove(c);
  }

  @Override
  public void close() {
    closed = true;
    for (Http1Connection c : idle) {
      c.channel().close();
    }
    idle.clear();
  }
}
