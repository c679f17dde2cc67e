package weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.HttpRequestEncoder;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import weft.proxy.http1.Http1ResponseDecoder;

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

  /** A request waiting for a connection: served by whichever connection is free first. */
  private static final class Waiter {
    final UpstreamListener listener;
    boolean done;

    Waiter(UpstreamListener listener) {
      this.listener = listener;
    }
  }

  private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
  private int connecting;
  /** Connections established and not yet closed (busy or idle). */
  private int open;

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
    Waiter w = new Waiter(listener);
    waiting.addLast(w);
    // one connection per waiter still without one; a connection freed meanwhile serves the
    // oldest waiter first (Envoy's pool), so a backlog does not turn into a connection per request
    // at max_connections the request waits for a busy connection to free up, as Envoy's pending
    // queue (bounded by max_pending_requests); with none open or connecting it overflows
    if (connecting < waiting.size() && !connect() && open == 0 && connecting == 0) {
      waiting.remove(w);
      w.done = true;
      events.releasePending();
      listener.onFailure(UpstreamFailure.OVERFLOW, "connections overflow");
      return () -> {};
    }
    return () -> {
      if (!w.done) {
        w.done = true;
        waiting.remove(w);
        events.releasePending();
      }
    };
  }

  /** Starts one connection; false when max_connections refuses it. */
  private boolean connect() {
    if (!events.tryAcquireConnection()) {
      return false;
    }
    connecting++;
    ChannelFuture f = bootstrap.handler(new ChannelInitializer<Channel>() {
      @Override
      protected void initChannel(Channel ch) {
        ChannelPipeline p = ch.pipeline();
        if (settings.tls() != null) {
          p.addLast("tls", settings.tls().newHandler(ch.alloc(), hostname, address.getPort()));
        }
        // weft's strict response decoder (no String per header, no trailer map per body) with
        // Netty's request encoder; Http1Connection tells the decoder which method each response
        // answers
        Http1ResponseDecoder decoder = new Http1ResponseDecoder();
        p.addLast(Http1Connection.ENCODER, new HttpRequestEncoder());
        p.addLast(Http1Connection.DECODER, decoder);
        p.addLast("exchange", new Http1Connection(ch, Http1Pool.this, decoder));
      }
    }).connect(address);
    events.connecting();
    f.addListener((ChannelFuture cf) -> {
      if (!cf.isSuccess()) {
        events.connectFailed();
        events.releaseConnection();
        connectFailed(UpstreamFailure.CONNECTION_FAILURE, describe(cf.cause()));
        return;
      }
      events.connected(cf.channel());
      open++;
      cf.channel().closeFuture().addListener(x -> {
        open--;
        events.releaseConnection();
        connectForWaiters();
      });
      Http1Connection c = cf.channel().pipeline().get(Http1Connection.class);
      TlsReady.whenReady(cf.channel(), () -> {
        connecting--;
        if (closed) {
          cf.channel().close();
        } else {
          release(c);
        }
      }, cause -> connectFailed(UpstreamFailure.CONNECTION_FAILURE, "tls error: " + cause));
    });
    return true;
  }

  /** A connection closed: waiters held back by max_connections may connect now. */
  private void connectForWaiters() {
    while (!closed && waiting.size() > connecting && connect()) {
      // one new connection per waiter without one
    }
    if (open == 0 && connecting == 0) {
      failWaiters(waiting.size(), UpstreamFailure.OVERFLOW, "connections overflow");
    }
  }

  private void failWaiters(int n, UpstreamFailure failure, String detail) {
    for (int i = 0; i < n && !waiting.isEmpty(); i++) {
      Waiter w = waiting.pollFirst();
      w.done = true;
      events.releasePending();
      w.listener.onFailure(failure, detail);
    }
  }

  /** A connection attempt failed: the waiters it was started for fail with it. */
  private void connectFailed(UpstreamFailure failure, String detail) {
    connecting--;
    failWaiters(waiting.size() - connecting, failure, detail);
  }

  static String describe(Throwable cause) {
    if (cause instanceof ConnectTimeoutException) {
      return "connect timeout";
    }
    return cause == null ? "unknown" : String.valueOf(cause.getMessage());
  }

  /** A connection is free (new, or its exchange ended): serves the oldest waiter, else idles. */
  void release(Http1Connection c) {
    if (closed) {
      c.channel().close();
      return;
    }
    Waiter w = waiting.pollFirst();
    if (w != null) {
      w.done = true;
      events.releasePending();
      c.attach(w.listener);
      return;
    }
    idle.addLast(c);
    long timeout = settings.idleTimeout().toNanos();
    if (timeout > 0) {
      // the cluster's idle_timeout: close a connection nobody reused in time (no task per release)
      c.idleTimer.arm(c.channel().eventLoop(), timeout);
    }
  }

  void idleExpired(Http1Connection c) {
    if (idle.remove(c)) {
      c.channel().close();
    }
  }

  long maxRequestsPerConnection() {
    return settings.maxRequestsPerConnection();
  }

  void remove(Http1Connection c) {
    c.idleTimer.cancel();
    idle.remove(c);
  }

  @Override
  public void close() {
    closed = true;
    for (Http1Connection c : idle) {
      c.channel().close();
    }
    idle.clear();
    for (Waiter w : waiting) {
      w.done = true;
      events.releasePending();
    }
    waiting.clear();
  }
}
