package weft.proxy.tls;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A TLS echo server and client on real loopback sockets (port 0), for handshake tests. The server
 * records how its handshake ended, the verified client identity and the negotiated ALPN protocol;
 * it echoes what it receives, upper-cased, so a test sees that application data flowed.
 */
final class TlsPeers implements AutoCloseable {
  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());

  /** What one accepted connection saw. */
  static final class ServerSide {
    final CompletableFuture<PeerIdentity> handshake = new CompletableFuture<>();
    final CompletableFuture<String> received = new CompletableFuture<>();
    volatile String alpn;
    volatile String sni;
  }

  final CompletableFuture<ServerSide> accepted = new CompletableFuture<>();
  private Channel server;

  /** Starts a server whose pipeline starts with {@code tls.newHandler}; returns its port. */
  int serve(DownstreamTls tls) {
    return serve(ch -> tls.newHandler(ch.alloc()));
  }

  int serve(Function<SocketChannel, SslHandler> handlers) {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ServerSide side = new ServerSide();
            accepted.complete(side);
            SslHandler ssl = handlers.apply(ch);
            ch.pipeline().addLast(ssl, new ChannelInboundHandlerAdapter() {
              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof SslHandshakeCompletionEvent e) {
                  if (e.isSuccess()) {
                    side.alpn = ssl.applicationProtocol();
                    if (ssl.engine().getSession() instanceof javax.net.ssl.ExtendedSSLSession s
                        && !s.getRequestedServerNames().isEmpty()) {
                      side.sni = new String(s.getRequestedServerNames().get(0).getEncoded(), StandardCharsets.US_ASCII);
                    }
                    side.handshake.complete(PeerIdentity.of(ctx.channel()));
                  } else {
                    side.handshake.completeExceptionally(e.cause());
                  }
                }
                ctx.fireUserEventTriggered(evt);
              }

              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                String s = b.toString(StandardCharsets.UTF_8);
                b.release();
                side.received.complete(s);
                ctx.writeAndFlush(Unpooled.copiedBuffer(s.toUpperCase(java.util.Locale.ROOT), StandardCharsets.UTF_8));
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                side.handshake.completeExceptionally(cause);
                ctx.close();
              }
            });
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** A connected client whose pipeline starts with {@code tls.newHandler}; replies go to {@link Client#reply}. */
  Client connect(UpstreamTls tls, int port) {
    return connect(ch -> tls.newHandler(ch.alloc(), "127.0.0.1", port), port);
  }

  Client connect(Function<SocketChannel, SslHandler> handlers, int port) {
    Client c = new Client();
    c.channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            c.ssl = handlers.apply(ch);
            ch.pipeline().addLast(c.ssl, new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ByteBuf b = (ByteBuf) msg;
                c.reply.complete(b.toString(StandardCharsets.UTF_8));
                b.release();
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                c.reply.completeExceptionally(cause);
                ctx.close();
              }
            });
          }
        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
    return c;
  }

  static final class Client {
    Channel channel;
    SslHandler ssl;
    final CompletableFuture<String> reply = new CompletableFuture<>();

    /** Waits for the client's side of the handshake; returns whether it succeeded. */
    boolean handshake() {
      return ssl.handshakeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS) && ssl.handshakeFuture().isSuccess();
    }

    void send(String s) {
      channel.writeAndFlush(Unpooled.copiedBuffer(s, StandardCharsets.UTF_8));
    }
  }

  ServerSide side() {
    return accepted.orTimeout(10, TimeUnit.SECONDS).join();
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
