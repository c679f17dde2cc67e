package weft.proxy.tcp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.proxy.cluster.Host;
import weft.proxy.cluster.LbContext;
import weft.proxy.cluster.UpstreamCluster;
import weft.proxy.cluster.UpstreamTransport;

/**
 * One downstream connection's tcp_proxy: picks a host, connects (TLS first when the cluster has a
 * transport socket; a failed handshake, e.g. a SAN mismatch, is a failed attempt), then relays
 * bytes both ways. Downstream reading stays off until the upstream is ready, and each side stops
 * reading while the other is unwritable (backpressure). A half-close (FIN) is passed on as a
 * shutdown of the other side's output when that side is plaintext; over TLS it closes that side
 * after flushing. The connection closes when both directions are done, either side closes (after
 * flushing what is queued for the other), nothing moves for the idle timeout, or the maximum
 * connection duration passes.
 *
 * <p>All state is confined to the downstream connection's event loop; the upstream channel is
 * registered on the same loop.
 */
final class TcpRelay extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(TcpRelay.class);

  private final TcpProxy config;
  private final TcpProxyStats stats;
  private ChannelHandlerContext ctx;
  private UpstreamCluster cluster;
  private Channel upstream; // set once connected (and, for TLS, handshaken)
  private ArrayDeque<Object> pending; // downstream bytes read before the upstream was ready
  private int attempts;
  private boolean started;
  private boolean closing;
  private boolean downstreamEof;
  private boolean upstreamEof;
  private boolean upstreamNeedsFlush;
  private long lastActivityNanos;
  private Future<?> idleTimer;
  private Future<?> durationTimer;
  // for the session record (access logs)
  private long startEpochMillis;
  private long startNanos;
  private long bytesReceived;
  private long bytesSent;
  private String clusterName;
  private String upstreamHost;
  private String responseFlags = "";

  TcpRelay(TcpProxy config) {
    this.config = config;
    this.stats = config.stats();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    if (ctx.channel().isActive()) {
      start();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    start();
    ctx.fireChannelActive();
  }

  private void start() {
    if (started) {
      return;
    }
    started = true;
    Channel down = ctx.channel();
    down.config().setAutoRead(false);
    down.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    stats.downstreamCxTotal().inc();
    startEpochMillis = System.currentTimeMillis();
    startNanos = System.nanoTime();
    clusterName = config.pickCluster();
    cluster = config.cluster(clusterName);
    if (cluster == null) {
      stats.downstreamCxNoRoute().inc();
      responseFlags = "NR";
      down.close();
      return;
    }
    lastActivityNanos = System.nanoTime();
    if (config.idleTimeoutMillis() > 0) {
      idleTimer = ctx.executor().schedule(this::checkIdle, config.idleTimeoutMillis(), TimeUnit.MILLISECONDS);
    }
    if (config.maxDurationMillis() > 0) {
      durationTimer = ctx.executor().schedule(this::durationReached, config.maxDurationMillis(), TimeUnit.MILLISECONDS);
    }
    connect();
  }

  private void connect() {
    attempts++;
    Host host = cluster.choose(LbContext.NONE);
    if (host == null) {
      config.clusterCounter(cluster, "upstream_cx_none_healthy").inc();
      responseFlags = "UH";
      closeDownstream();
      return;
    }
    if (!cluster.circuitBreakers().tryAcquireConnection()) {
      cluster.stats().upstreamCxOverflow().inc();
      responseFlags = "UO";
      closeDownstream();
      return;
    }
    cluster.stats().upstreamCxTotal().inc();
    Channel down = ctx.channel();
    UpstreamTransport transport = cluster.transport();
    ChannelFuture cf = new Bootstrap().group(down.eventLoop())
        .channel(UpstreamSockets.socket(down.eventLoop()))
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, cluster.connectTimeout().toMillis()))
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(ChannelOption.AUTO_READ, false)
        .handler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            if (transport != null) {
              ch.pipeline().addLast(transport.newHandler(ch.alloc(), host.address().getHostString(), host.address().getPort()));
            }
            ch.pipeline().addLast(new UpstreamSide());
          }
        })
        .connect(host.address());
    Channel up = cf.channel();
    boolean[] established = {false};
    up.closeFuture().addListener(f -> {
      cluster.circuitBreakers().releaseConnection();
      if (established[0]) {
        cluster.stats().upstreamCxActive().dec();
        host.connectionClosed();
        onUpstreamClosed();
      }
    });
    cf.addListener((ChannelFutureListener) f -> {
      if (!f.isSuccess()) {
        attemptFailed(host, f.cause());
        return;
      }
      SslHandler ssl = up.pipeline().get(SslHandler.class);
      if (ssl == null) {
        established[0] = true;
        connected(host, up);
        return;
      }
      up.read(); // the handshake needs inbound bytes while AUTO_READ is off
      ssl.handshakeFuture().addListener(h -> {
        if (h.isSuccess()) {
          established[0] = true;
          connected(host, up);
        } else {
          up.close();
          attemptFailed(host, h.cause());
        }
      });
    });
  }

  private void attemptFailed(Host host, Throwable cause) {
    cluster.stats().upstreamCxConnectFail().inc();
    if (cause instanceof ConnectTimeoutException) {
      cluster.stats().upstreamCxConnectTimeout().inc();
    }
    host.connectFailed();
    cluster.reportConnectFailure(host);
    log.debug("tcp_proxy {}: connect to {} failed (attempt {}): {}", config.statPrefix(), host.addressString(),
        attempts, cause.toString());
    if (closing || !ctx.channel().isActive()) {
      return;
    }
    if (attempts < config.maxConnectAttempts()) {
      connect();
    } else {
      if (config.maxConnectAttempts() > 1) {
        config.clusterCounter(cluster, "upstream_cx_connect_attempts_exceeded").inc();
      }
      responseFlags = "UF";
      closeDownstream();
    }
  }

  private void connected(Host host, Channel up) {
    cluster.stats().upstreamCxActive().inc();
    host.connectionOpened();
    if (closing || !ctx.channel().isActive()) {
      up.close();
      return;
    }
    upstream = up;
    upstreamHost = host.addressString();
    if (pending != null) {
      for (Object m; (m = pending.poll()) != null; ) {
        up.write(m);
      }
      up.flush();
      pending = null;
    }
    if (downstreamEof) {
      shutdownOutput(up);
    }
    up.config().setAutoRead(true);
    if (!downstreamEof) {
      ctx.channel().config().setAutoRead(up.isWritable());
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    lastActivityNanos = System.nanoTime();
    if (msg instanceof ByteBuf b) {
      bytesReceived += b.readableBytes();
      stats.downstreamCxRxBytesTotal().add(b.readableBytes());
    }
    if (upstream == null) {
      if (closing) {
        ReferenceCountUtil.release(msg);
        return;
      }
      if (pending == null) {
        pending = new ArrayDeque<>(4);
      }
      pending.add(msg);
      return;
    }
    upstream.write(msg);
    upstreamNeedsFlush = true;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (upstream != null && upstreamNeedsFlush) {
      upstreamNeedsFlush = false;
      upstream.flush();
      if (!upstream.isWritable() && ctx.channel().config().isAutoRead()) {
        ctx.channel().config().setAutoRead(false);
        stats.downstreamFlowControlPausedReadingTotal().inc();
      }
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (upstream != null && ctx.channel().isWritable() && !upstreamEof) {
      upstream.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      downstreamEof = true;
      if (upstream != null) {
        shutdownOutput(upstream);
      }
      closeIfBothDone();
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    cancelIdle();
    releasePending();
    if (upstream != null && upstream.isActive()) {
      ChannelOutboundBuffer out = upstream.unsafe().outboundBuffer();
      if (out != null && out.totalPendingWriteBytes() > 0) {
        stats.upstreamFlushTotal().inc();
        stats.upstreamFlushActive().inc();
        upstream.closeFuture().addListener(f -> stats.upstreamFlushActive().dec());
      }
      upstream.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    if (started && config.observer() != null) {
      config.observer().onClose(new TcpSession(startEpochMillis, (System.nanoTime() - startNanos) / 1_000_000,
          bytesReceived, bytesSent, clusterName, upstreamHost, responseFlags,
          ctx.channel().remoteAddress(), ctx.channel().localAddress(), ctx.channel()));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("tcp_proxy {}: downstream error: {}", config.statPrefix(), cause.toString());
    ctx.close();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancelIdle();
    releasePending();
  }

  private void onUpstreamClosed() {
    if (!closing) {
      closeDownstream();
    }
  }

  /** Closes downstream after flushing what the upstream already sent. */
  private void closeDownstream() {
    closing = true;
    cancelIdle();
    releasePending();
    ctx.channel().writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  private void closeIfBothDone() {
    if (downstreamEof && upstreamEof) {
      closeDownstream();
      if (upstream != null) {
        upstream.close();
      }
    }
  }

  /** Passes a FIN on after the queued bytes: a TCP half-close, or over TLS a full close. */
  private static void shutdownOutput(Channel ch) {
    ch.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener((ChannelFutureListener) f -> {
      if (ch.pipeline().get(SslHandler.class) == null && ch instanceof DuplexChannel d) {
        d.shutdownOutput();
      } else {
        ch.close();
      }
    });
  }

  private void checkIdle() {
    if (closing) {
      return;
    }
    long idleNanos = TimeUnit.MILLISECONDS.toNanos(config.idleTimeoutMillis());
    long quiet = System.nanoTime() - lastActivityNanos;
    if (quiet >= idleNanos) {
      stats.idleTimeout().inc();
      if (upstream != null) {
        upstream.close();
      }
      closeDownstream();
    } else {
      idleTimer = ctx.executor().schedule(this::checkIdle, idleNanos - quiet, TimeUnit.NANOSECONDS);
    }
  }

  private void durationReached() {
    if (closing) {
      return;
    }
    stats.maxDownstreamConnectionDuration().inc();
    responseFlags = "DT";
    if (upstream != null) {
      upstream.close();
    }
    closeDownstream();
  }

  /** Stops both timers (idle and max duration). */
  private void cancelIdle() {
    if (idleTimer != null) {
      idleTimer.cancel(false);
      idleTimer = null;
    }
    if (durationTimer != null) {
      durationTimer.cancel(false);
      durationTimer = null;
    }
  }

  private void releasePending() {
    if (pending != null) {
      for (Object m; (m = pending.poll()) != null; ) {
        ReferenceCountUtil.release(m);
      }
      pending = null;
    }
  }

  /** The upstream connection's end of the relay. */
  private final class UpstreamSide extends ChannelInboundHandlerAdapter {
    private boolean downstreamNeedsFlush;

    @Override
    public void channelRead(ChannelHandlerContext uctx, Object msg) {
      lastActivityNanos = System.nanoTime();
      if (msg instanceof ByteBuf b) {
        bytesSent += b.readableBytes();
        stats.downstreamCxTxBytesTotal().add(b.readableBytes());
      }
      ctx.channel().write(msg);
      downstreamNeedsFlush = true;
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext uctx) {
      if (downstreamNeedsFlush) {
        downstreamNeedsFlush = false;
        ctx.channel().flush();
        if (!ctx.channel().isWritable()) {
          uctx.channel().config().setAutoRead(false);
        }
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext uctx) {
      if (uctx.channel().isWritable() && upstream != null && !downstreamEof && !ctx.channel().config().isAutoRead()) {
        ctx.channel().config().setAutoRead(true);
        stats.downstreamFlowControlResumedReadingTotal().inc();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext uctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        upstreamEof = true;
        shutdownOutput(ctx.channel());
        closeIfBothDone();
      }
      uctx.fireUserEventTriggered(evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext uctx, Throwable cause) {
      log.debug("tcp_proxy {}: upstream error: {}", config.statPrefix(), cause.toString());
      uctx.close();
    }
  }
}
