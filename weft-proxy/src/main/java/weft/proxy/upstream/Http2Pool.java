package weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
    Http2ClientConnection codec;
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
        // streams are opened on the connection handler itself, not as child channels
        ch.pipeline().addLast("h2", Http2ClientConnection.create(STREAM_WINDOW, CONNECTION_WINDOW));
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
      c.codec = cf.channel().pipeline().get(Http2ClientConnection.class);

      c.channel.closeFuture().addListener(x -> {
        conns.remove(c);
        events.releaseConnection();
        failAll(c, UpstreamFailure.CONNECTION_FAILURE, "connection closed before it was ready");
      });
      if (closed) {
        c.channel.close();
        return;
      }
      // ready once the peer's SETTINGS are in: only then is its max_concurrent_streams known
      TlsReady.whenReady(c.channel, () -> c.codec.whenSettingsReceived(() -> ready(c)), cause -> {
        conns.remove(c);
        failAll(c, UpstreamFailure.CONNECTION_FAILURE, "tls error: " + cause);
      });
    });
    return c;
  }

  /**
   * Starts the exchanges that waited for {@code c}: as many as its stream limit allows; the rest
   * go to another connection with room or to a new one (Envoy's pool does the same).
   */
  private void ready(Conn c) {
    c.ready = true;
    List<UpstreamListener> w = new ArrayList<>(c.waiting);
    c.waiting.clear();
    for (UpstreamListener l : w) {
      events.releasePending();
      if (c.hasCapacity()) {
        open(c, l);
      } else {
        newStream(l);
      }
    }
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
    listener.onReady(new Http2Exchange(listener, c.codec, () -> {
      c.active--;
      if (c.active == 0) {
        streamsDone(c);
      }
    }));
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
