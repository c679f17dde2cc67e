package weft.proxy.listener;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.proxy.observe.StatsStore;
import weft.proxy.server.Transport;

/**
 * One bound listener: accepts connections on the worker loops, enforces the listener and global
 * connection limits, runs the listener filter, selects a filter chain and installs its transport
 * socket and network filters.
 */
public final class ListenerServer {
  private static final Logger LOG = LoggerFactory.getLogger(ListenerServer.class);

  /** Set on a connection whose transport socket verified the client certificate. */
  public static final io.netty.util.AttributeKey<Boolean> PEER_VERIFIED =
      io.netty.util.AttributeKey.valueOf(ListenerServer.class, "peerVerified");

  // volatile: an xDS update swaps it for new connections; accepted ones keep the chain they got
  private volatile ListenerConfig cfg;
  private final ListenerStats stats;
  private final AtomicLong active = new AtomicLong();
  private final GlobalConnectionLimit global;
  private Channel serverChannel;

  /** The process-wide {@code overload.global_downstream_max_connections} (-1: none). */
  public static final class GlobalConnectionLimit {
    private final long max;
    private final AtomicLong count = new AtomicLong();

    public GlobalConnectionLimit(long max) {
      this.max = max;
    }

    boolean tryAcquire() {
      if (max < 0) {
        count.incrementAndGet();
        return true;
      }
      if (count.incrementAndGet() > max) {
        count.decrementAndGet();
        return false;
      }
      return true;
    }

    void release() {
      count.decrementAndGet();
    }
  }

  // Established connections, so that an LDS update can drain those accepted under the old config.
  private final java.util.Set<Channel> open = java.util.concurrent.ConcurrentHashMap.newKeySet();

  public ListenerServer(ListenerConfig cfg, StatsStore store, GlobalConnectionLimit global) {
    this.cfg = cfg;
    this.stats = new ListenerStats(store, cfg.statName());
    this.global = global;
  }

  /** Binds synchronously; throws if the address cannot be bound. */
  public InetSocketAddress bind(Transport transport, EventLoopGroup boss, EventLoopGroup workers)
      throws InterruptedException {
    ServerBootstrap b = new ServerBootstrap()
        .group(boss, workers)
        .channel(transport.serverChannel())
        .option(ChannelOption.SO_BACKLOG, 1024)
        .option(ChannelOption.SO_REUSEADDR, true)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<Channel>() {
          @Override
          protected void initChannel(Channel ch) {
            accept(ch);
          }
        });
    io.netty.channel.ChannelFuture f = b.bind(cfg.address()).await();
    if (!f.isSuccess()) {
      throw new IllegalStateException("listener '" + cfg.name() + "': cannot bind " + cfg.address()
          + ": " + f.cause().getMessage(), f.cause());
    }
    serverChannel = f.channel();
    InetSocketAddress bound = (InetSocketAddress) serverChannel.localAddress();
    LOG.info("listener '{}' on {}", cfg.name(), bound);
    return bound;
  }

  /** Stops accepting; existing connections carry on. */
  public void stopAccepting() {
    if (serverChannel != null) {
      serverChannel.close().awaitUninterruptibly(2000);
    }
  }

  /** The connections established now (accepted under this or an earlier config). */
  public java.util.List<Channel> connections() {
    return java.util.List.copyOf(open);
  }

  public ListenerConfig config() {
    return cfg;
  }

  /**
   * Serves new connections with {@code next} (same address); established connections finish on
   * the filter chains they were given, as Envoy drains a listener replaced by LDS.
   */
  public void update(ListenerConfig next) {
    this.cfg = next;
  }

  private void accept(Channel ch) {
    ListenerConfig cfg = this.cfg;
    stats.cxTotal.inc();
    if (!global.tryAcquire()) {
      stats.cxOverloadReject.inc();
      ch.close();
      return;
    }
    long n = active.incrementAndGet();
    stats.cxActive.inc();
    open.add(ch);
    // Envoy's listener access log: one record per connection, when it ends (the listener's
    // connection stream info starts now)
    weft.proxy.observe.AccessLogger accessLog = cfg.accessLog();
    ConnectionStreamInfo info = accessLog == weft.proxy.observe.AccessLogger.NONE
        ? null : ConnectionStreamInfo.of(ch);
    ch.closeFuture().addListener(f -> {
      open.remove(ch);
      active.decrementAndGet();
      global.release();
      stats.cxActive.dec();
      stats.cxDestroy.inc();
      if (info != null) {
        accessLog.log(new ConnectionLogRecord(ch, info, info.elapsedMillis()));
      }
    });
    if (cfg.connectionLimit() >= 0 && n > cfg.connectionLimit()) {
      stats.cxOverflow.inc();
      ch.close();
      return;
    }
    if (cfg.listenerFilter() == null && cfg.selector() == ChainSelector.ONLY) {
      installChain(cfg, ch, 0);
      return;
    }
    if (cfg.listenerFilter() != null) {
      ch.pipeline().addLast("listener-filter", cfg.listenerFilter().get());
    }
    ch.pipeline().addLast("chain-select", new ChainSelect(cfg));
  }

  private static void installChain(ListenerConfig cfg, Channel ch, int index) {
    FilterChainConfig chain = cfg.chains().get(index);
    ChannelPipeline p = ch.pipeline();
    if (chain.transport() != null) {
      p.addLast("tls", chain.transport().newHandler(ch.alloc()));
      ch.attr(PEER_VERIFIED).set(chain.transport().verifiesPeer());
    }
    for (NetworkFilterFactory f : chain.filters()) {
      f.install(ch);
    }
  }

  /** Chooses the chain when the first bytes arrive (after the listener filter has looked). */
  private final class ChainSelect extends ChannelInboundHandlerAdapter {
    private final ListenerConfig cfg;

    ChainSelect(ListenerConfig cfg) {
      this.cfg = cfg;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      int idx = cfg.selector().select(ctx.channel());
      if (idx < 0 || idx >= cfg.chains().size()) {
        stats.noFilterChainMatch.inc();
        // Envoy flags a connection no filter chain matched NR (no route)
        ConnectionStreamInfo.of(ctx.channel()).addResponseFlag("NR");
        io.netty.util.ReferenceCountUtil.release(msg);
        ctx.close();
        return;
      }
      // the chain's handlers go after this one; hand them the bytes, then step aside
      installChain(cfg, ctx.channel(), idx);
      ctx.fireChannelRead(msg);
      ctx.pipeline().remove(this);
    }
  }
}
