package weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.config.core.v3.DataSource;
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
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.DownstreamTls;
import weft.proxy.tls.TestPki;

/**
 * The tls-sni shape on a real socket: TLS inspector -> filter chain match on SNI -> that chain's
 * certificate (two terminating chains) or untouched bytes (a passthrough chain); an unknown SNI
 * with no default chain is closed. Chain selection happens on the first bytes, as the listener does.
 */
@Timeout(30)
class SniListenerTest {
  @TempDir static Path dir;
  static final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  static TestPki.Issued domain1;
  static TestPki.Issued domain2;
  static int port;
  static Channel server;
  static final CompletableFuture<Integer> passthroughFirstByte = new CompletableFuture<>();

  static DownstreamTls tls(TestPki.Issued cert) {
    ConfigProblems problems = new ConfigProblems();
    DownstreamTls t = DownstreamTls.compile(DownstreamTlsContext.newBuilder().setCommonTlsContext(
        CommonTlsContext.newBuilder().addTlsCertificates(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setFilename(cert.certPem().toString()))
            .setPrivateKey(DataSource.newBuilder().setFilename(cert.keyPem().toString())))).build(),
        ConfigPath.of("tls"), problems, dir);
    assertThat(problems.list()).isEmpty();
    return t;
  }

  static FilterChain sni(String name) {
    return FilterChain.newBuilder().setFilterChainMatch(FilterChainMatch.newBuilder().addServerNames(name)).build();
  }

  /** Echoes with a prefix naming the chain. */
  static ChannelInboundHandlerAdapter echo(String tag) {
    return new ChannelInboundHandlerAdapter() {
      @Override
      public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf b = (ByteBuf) msg;
        String s = b.toString(StandardCharsets.UTF_8);
        b.release();
        ctx.writeAndFlush(Unpooled.copiedBuffer(tag + ":" + s, StandardCharsets.UTF_8));
      }
    };
  }

  @BeforeAll
  static void listen() {
    TestPki pki = TestPki.create(dir);
    domain1 = pki.issue("domain1", TestPki.KeyType.EC_P256, "dns:domain1.example.com");
    domain2 = pki.issue("domain2", TestPki.KeyType.EC_P256, "dns:domain2.example.com");
    List<DownstreamTls> chainTls = List.of(tls(domain1), tls(domain2));
    ConfigProblems problems = new ConfigProblems();
    FilterChainMatcher matcher = FilterChainMatcher.compile(
        List.of(sni("domain1.example.com"), sni("domain2.example.com"), sni("domain3.example.com")),
        null, ConfigPath.of("listener"), problems);
    assertThat(problems.list()).isEmpty();
    assertThat(matcher.needsTlsInspector()).isTrue();
    TlsInspector.Stats stats = TlsInspector.Stats.create(new StatsStore());
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new TlsInspector(stats, 15_000, false), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                int chain = matcher.select(ctx.channel());
                if (chain < 0) {
                  ((ByteBuf) msg).release();
                  ctx.close();
                  return;
                }
                if (chain < 2) {
                  ctx.pipeline().addLast(chainTls.get(chain).newHandler(ctx.alloc()), echo("chain" + chain));
                } else {
                  passthroughFirstByte.complete((int) ((ByteBuf) msg).getUnsignedByte(0));
                  ctx.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                    @Override
                    public void channelRead(ChannelHandlerContext c, Object m) {
                      ((ByteBuf) m).release();
                      c.close();
                    }
                  });
                }
                ctx.fireChannelRead(msg);
                ctx.pipeline().remove(this);
              }
            });
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    port = ((InetSocketAddress) server.localAddress()).getPort();
  }

  @AfterAll
  static void stop() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  record Outcome(boolean handshake, X509Certificate serverCert, String reply) {}

  static Outcome call(String sni) throws Exception {
    SslContext ctx = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    CompletableFuture<String> reply = new CompletableFuture<>();
    SslHandler[] ssl = new SslHandler[1];
    Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            ssl[0] = ctx.newHandler(c.alloc(), sni, port);
            c.pipeline().addLast(ssl[0], new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext x, Object msg) {
                reply.complete(((ByteBuf) msg).toString(StandardCharsets.UTF_8));
                ((ByteBuf) msg).release();
              }

              @Override
              public void channelInactive(ChannelHandlerContext x) {
                reply.complete(null);
              }

              @Override
              public void exceptionCaught(ChannelHandlerContext x, Throwable cause) {
                x.close();
              }
            });
          }
        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
    boolean ok = ssl[0].handshakeFuture().awaitUninterruptibly(10, TimeUnit.SECONDS) && ssl[0].handshakeFuture().isSuccess();
    if (!ok) {
      ch.close();
      return new Outcome(false, null, null);
    }
    X509Certificate cert = (X509Certificate) ssl[0].engine().getSession().getPeerCertificates()[0];
    ch.writeAndFlush(Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8));
    String r = reply.get(10, TimeUnit.SECONDS);
    ch.close();
    return new Outcome(true, cert, r);
  }

  @Test
  void eachServerNameGetsItsChainsCertificate() throws Exception {
    assertThat(call("domain1.example.com")).isEqualTo(new Outcome(true, domain1.cert(), "chain0:hi"));
    assertThat(call("DOMAIN2.example.com")).isEqualTo(new Outcome(true, domain2.cert(), "chain1:hi"));
  }

  @Test
  void aPassthroughChainReceivesTheClientHelloUntouched() throws Exception {
    assertThat(call("domain3.example.com").handshake()).isFalse();
    assertThat(passthroughFirstByte.get(10, TimeUnit.SECONDS)).isEqualTo(22);
  }

  @Test
  void anUnknownServerNameIsClosed() throws Exception {
    assertThat(call("unknown.example.com").handshake()).isFalse();
  }
}
