package weft.proxy.admin;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Envoy's admin listener: a small HTTP/1.1 server (Netty's codec) serving {@code /ready}, {@code
 * /stats}, {@code /stats/prometheus}, {@code /clusters}, {@code /config_dump}, {@code
 * /server_info}, {@code /healthcheck/fail|ok} and {@code /quitquitquit}.
 *
 * <p>Requests are answered on the event loop that accepted them: rendering stats is CPU work only,
 * but it is proportional to the number of stats, so give the admin server its own single-threaded
 * group when data-plane latency matters.
 */
public final class AdminServer implements AutoCloseable {
  private static final int MAX_REQUEST_BYTES = 64 * 1024;

  private final Channel channel;
  private final ChannelGroup connections;
  private final AtomicBoolean healthCheckFailed;

  private AdminServer(Channel channel, ChannelGroup connections, AtomicBoolean healthCheckFailed) {
    this.channel = channel;
    this.connections = connections;
    this.healthCheckFailed = healthCheckFailed;
  }

  /**
   * Binds the admin listener on an NIO event loop group and waits until it is bound.
   *
   * @throws IllegalArgumentException if {@code group} is not NIO: use the overload that takes the
   *     server channel class matching the group's transport
   * @throws InterruptedException if interrupted while binding
   */
  public static AdminServer start(
      InetSocketAddress address, EventLoopGroup group, AdminSources sources)
      throws InterruptedException {
    EventLoop loop = group.next();
    if (!(loop instanceof IoEventLoop io && io.isIoType(NioIoHandler.class))) {
      throw new IllegalArgumentException(
          "event loop group " + group + " is not NIO; pass its server channel class");
    }
    return start(address, group, NioServerSocketChannel.class, sources);
  }

  /**
   * Binds the admin listener and waits until it is bound; {@code channelClass} must match the
   * group's transport (e.g. {@code EpollServerSocketChannel} for an epoll group). A bind failure
   * (address in use) is thrown as Netty reports it.
   *
   * @throws InterruptedException if interrupted while binding
   */
  public static AdminServer start(
      InetSocketAddress address,
      EventLoopGroup group,
      Class<? extends ServerChannel> channelClass,
      AdminSources sources)
      throws InterruptedException {
    AtomicBoolean healthCheckFailed = new AtomicBoolean();
    // Admin connections, so that close() ends them too (a group removes closed channels itself).
    ChannelGroup connections = new DefaultChannelGroup("weft-admin", GlobalEventExecutor.INSTANCE);
    long startedNanos = System.nanoTime();
    ServerBootstrap b =
        new ServerBootstrap()
            .group(group)
            .channel(channelClass)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    connections.add(ch);
                    ch.pipeline()
                        .addLast("codec", new HttpServerCodec())
                        .addLast("keep-alive", new HttpServerKeepAliveHandler())
                        .addLast("aggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES))
                        .addLast(
                            "admin", new AdminHandler(sources, healthCheckFailed, startedNanos));
                  }
                });
    ChannelFuture bound = b.bind(address).sync();
    return new AdminServer(bound.channel(), connections, healthCheckFailed);
  }

  /** The bound address (with the real port when started on port 0). */
  public InetSocketAddress address() {
    return (InetSocketAddress) channel.localAddress();
  }

  /** Whether {@code /healthcheck/fail} is in force (Envoy's {@code healthCheckFailed()}). */
  public boolean healthCheckFailed() {
    return healthCheckFailed.get();
  }

  /** Stops listening and closes the open admin connections. */
  @Override
  public void close() {
    channel.close().syncUninterruptibly();
    connections.close().syncUninterruptibly();
  }
}
