package weft.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.cluster.ClusterContext;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.DownstreamTls;
import weft.proxy.tls.TestPki;
import weft.proxy.tls.UpstreamTls;

/** tcp_proxy on real loopback sockets: proxy listener -> cluster host (echo backends). */
@Timeout(30)
class TcpProxyTest {
  @TempDir Path dir;
  final EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  final StatsStore stats = new StatsStore();
  ClusterManager clusters;
  final List<Channel> servers = new java.util.ArrayList<>();
  final java.util.concurrent.LinkedBlockingQueue<TcpSession> sessions = new java.util.concurrent.LinkedBlockingQueue<>();

  @AfterEach
  void close() {
    if (clusters != null) {
      clusters.close();
    }
    servers.forEach(Channel::close);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** An echo server: echoes bytes; when the client half-closes, it finishes and closes. */
  int echo(Consumer<SocketChannel> first) {
    Channel s = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            first.accept(ch);
            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ctx.writeAndFlush(msg);
              }

              @Override
              public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof ChannelInputShutdownEvent) {
                  ctx.writeAndFlush(ctx.alloc().buffer(0)).addListener(ChannelFutureListener.CLOSE);
                }
                ctx.fireUserEventTriggered(evt);
              }
            });
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    servers.add(s);
    return ((InetSocketAddress) s.localAddress()).getPort();
  }

  static Cluster cluster(String name, int... ports) {
    LocalityLbEndpoints.Builder eps = LocalityLbEndpoints.newBuilder();
    for (int port : ports) {
      eps.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder().setAddress(Address.newBuilder()
          .setSocketAddress(SocketAddress.newBuilder().setAddress("127.0.0.1").setPortValue(port)))));
    }
    return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(eps)).build();
  }

  /** Builds the clusters, a tcp_proxy over them and a listener running it; returns its port. */
  int proxy(io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy config, Cluster... cs) {
    return proxy(null, config, cs);
  }

  /** As above, terminating TLS first when {@code tls} is not null (the double-proxy backend). */
  int proxy(DownstreamTls tls, io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy config,
      Cluster... cs) {
    ConfigProblems problems = new ConfigProblems();
    clusters = ClusterManager.create(List.of(cs), ConfigPath.of("clusters"), problems,
        ClusterContext.of(group, stats, UpstreamTls.transports(dir)));
    clusters.start();
    TcpProxy tcp = TcpProxy.compile(config, ConfigPath.of("tcp_proxy"), problems, clusters::get, stats, sessions::add);
    assertThat(problems.list()).isEmpty();
    Channel s = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (tls != null) {
              ch.pipeline().addLast(tls.newHandler(ch.alloc()));
            }
            tcp.install(ch);
          }
        }).bind("127.0.0.1", 0).syncUninterruptibly().channel();
    servers.add(s);
    return ((InetSocketAddress) s.localAddress()).getPort();
  }

  static io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.Builder tcp(String cluster) {
    return io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy.newBuilder()
        .setStatPrefix("ingress").setCluster(cluster);
  }

  static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  static Socket client(int port) throws IOException {
    Socket s = new Socket("127.0.0.1", port);
    s.setSoTimeout(10_000);
    return s;
  }

  @Test
  void relaysBothWaysAndPassesTheClientsHalfCloseOn() throws Exception {
    int port = proxy(tcp("backend").build(), cluster("backend", echo(ch -> { })));
    try (Socket s = client(port)) {
      s.getOutputStream().write("hello through the mesh".getBytes(StandardCharsets.UTF_8));
      s.shutdownOutput(); // the backend replies to what it got and closes once it sees our FIN
      assertThat(new String(readAll(s.getInputStream()), StandardCharsets.UTF_8)).isEqualTo("hello through the mesh");
    }
    assertThat(stats.counter("tcp.ingress.downstream_cx_total").value()).isEqualTo(1);
    assertThat(stats.counter("tcp.ingress.downstream_cx_rx_bytes_total").value()).isEqualTo(22);
    await().untilAsserted(() -> assertThat(stats.counter("tcp.ingress.downstream_cx_tx_bytes_total").value()).isEqualTo(22));
    assertThat(stats.counter("cluster.backend.upstream_cx_total").value()).isEqualTo(1);
    TcpSession session = sessions.poll(10, TimeUnit.SECONDS);
    assertThat(session.bytesReceived()).isEqualTo(22);
    assertThat(session.bytesSent()).isEqualTo(22);
    assertThat(session.cluster()).isEqualTo("backend");
    assertThat(session.upstreamHost()).startsWith("127.0.0.1:");
    assertThat(session.responseFlags()).isEmpty();
  }

  @Test
  void relaysMegabytesIntactUnderBackpressure() throws Exception {
    int port = proxy(tcp("backend").build(), cluster("backend", echo(ch -> { })));
    byte[] payload = new byte[2 << 20];
    new Random(7).nextBytes(payload);
    try (Socket s = client(port)) {
      CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
        try {
          return readAll(s.getInputStream());
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      s.getOutputStream().write(payload);
      s.shutdownOutput();
      assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo(payload);
    }
  }

  @Test
  void anUnknownClusterIsCountedAsNoRouteAndClosed() throws Exception {
    int port = proxy(tcp("missing").build(), cluster("backend", echo(ch -> { })));
    try (Socket s = client(port)) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(stats.counter("tcp.ingress.downstream_cx_no_route").value()).isEqualTo(1);
    TcpSession session = sessions.poll(10, TimeUnit.SECONDS);
    assertThat(session.responseFlags()).isEqualTo("NR");
    assertThat(session.upstreamHost()).isNull();
  }

  @Test
  void aRefusedConnectionIsRetriedOnAnotherHostUpToMaxConnectAttempts() throws Exception {
    int closed;
    try (ServerSocket ss = new ServerSocket(0)) {
      closed = ss.getLocalPort();
    }
    int port = proxy(tcp("backend").setMaxConnectAttempts(UInt32Value.of(2)).build(),
        cluster("backend", closed, echo(ch -> { })));
    // round robin over [closed, open]: whichever host a connection starts with, it gets through
    for (int i = 0; i < 3; i++) {
      try (Socket s = client(port)) {
        s.getOutputStream().write("x".getBytes(StandardCharsets.UTF_8));
        s.shutdownOutput();
        assertThat(new String(readAll(s.getInputStream()), StandardCharsets.UTF_8)).isEqualTo("x");
      }
    }
    assertThat(stats.counter("cluster.backend.upstream_cx_connect_fail").value()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void aConnectionIdleForTheTimeoutIsClosed() throws Exception {
    int port = proxy(tcp("backend").setIdleTimeout(com.google.protobuf.Duration.newBuilder().setNanos(200_000_000)).build(),
        cluster("backend", echo(ch -> { })));
    try (Socket s = client(port)) {
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
    assertThat(stats.counter("tcp.ingress.idle_timeout").value()).isEqualTo(1);
  }

  @Test
  void aBusyConnectionIsStillClosedAtTheMaximumDuration() throws Exception {
    int port = proxy(tcp("backend").setMaxDownstreamConnectionDuration(
        com.google.protobuf.Duration.newBuilder().setNanos(300_000_000)).build(), cluster("backend", echo(ch -> { })));
    try (Socket s = client(port)) {
      s.getOutputStream().write("a".getBytes(StandardCharsets.UTF_8));
      assertThat(s.getInputStream().read()).isEqualTo('a');
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(stats.counter("tcp.ingress.max_downstream_connection_duration").value()).isEqualTo(1);
    assertThat(sessions.poll(10, TimeUnit.SECONDS).responseFlags()).isEqualTo("DT");
  }

  @Test
  void tlsPassesThroughUntouchedWithItsSni() throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki.Issued backend = pki.issue("backend", TestPki.KeyType.EC_P256, "dns:domain3.example.com");
    var serverCtx = SslContextBuilder.forServer(backend.key(), backend.cert()).build();
    CompletableFuture<String> sniSeen = new CompletableFuture<>();
    int backendPort = echo(ch -> {
      SslHandler ssl = serverCtx.newHandler(ch.alloc());
      ssl.handshakeFuture().addListener(f -> sniSeen.complete(
          ((ExtendedSSLSession) ssl.engine().getSession()).getRequestedServerNames().toString()));
      ch.pipeline().addLast(ssl);
    });
    int port = proxy(tcp("https").build(), cluster("https", backendPort));
    javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
    var tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
    var ks = java.security.KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setCertificateEntry("ca", pki.caCert());
    tmf.init(ks);
    ctx.init(null, tmf.getTrustManagers(), null);
    // the client speaks TLS to the proxy's port; the proxy only relays, the backend terminates
    try (SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(client(port), "domain3.example.com", port, true)) {
      tls.startHandshake();
      tls.getOutputStream().write("ping".getBytes(StandardCharsets.UTF_8));
      tls.getOutputStream().flush();
      byte[] buf = new byte[4];
      new java.io.DataInputStream(tls.getInputStream()).readFully(buf);
      assertThat(new String(buf, StandardCharsets.UTF_8)).isEqualTo("ping");
      assertThat(tls.getSession().getPeerCertificates()[0]).isEqualTo(backend.cert());
    }
    assertThat(sniSeen.get(10, TimeUnit.SECONDS)).contains("domain3.example.com");
  }

  @Test
  void anUpstreamCertificateWithTheWrongSanFailsTheConnection() throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki.Issued server = pki.issue("server", TestPki.KeyType.EC_P256, "dns:wrong.example.com");
    TestPki.Issued client = pki.issue("client", TestPki.KeyType.EC_P256, "dns:proxy-postgres-frontend.example.com");
    var serverCtx = SslContextBuilder.forServer(server.key(), server.cert())
        .trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    CompletableFuture<Boolean> backendHandshake = new CompletableFuture<>();
    int backendPort = echo(ch -> {
      SslHandler ssl = serverCtx.newHandler(ch.alloc());
      ssl.handshakeFuture().addListener(f -> backendHandshake.complete(f.isSuccess()));
      ch.pipeline().addLast(ssl);
    });
    UpstreamTlsContext tls = UpstreamTlsContext.newBuilder().setCommonTlsContext(CommonTlsContext.newBuilder()
        .addTlsCertificates(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setFilename("client.crt.pem"))
            .setPrivateKey(DataSource.newBuilder().setFilename("client.key.pem")))
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setFilename("ca.crt.pem"))
            .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.DNS)
                .setMatcher(StringMatcher.newBuilder().setExact("proxy-postgres-backend.example.com"))))).build();
    Cluster c = cluster("postgres", backendPort).toBuilder().setTransportSocket(TransportSocket.newBuilder()
        .setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(tls))).build();
    int port = proxy(tcp("postgres").build(), c);
    try (Socket s = client(port)) {
      s.getOutputStream().write("SELECT 1".getBytes(StandardCharsets.UTF_8));
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(stats.counter("cluster.postgres.upstream_cx_connect_fail").value()).isEqualTo(1);
    assertThat(sessions.poll(10, TimeUnit.SECONDS).responseFlags()).isEqualTo("UF");
    assertThat(client.cert()).isNotNull();
    // the proxy refused the backend's certificate: the backend saw a handshake that did not complete
    assertThat(backendHandshake.get(10, TimeUnit.SECONDS)).isFalse();
  }

  @Test
  void terminatesMutualTlsThenRelaysPlaintextToTheBackend() throws Exception {
    TestPki pki = TestPki.create(dir);
    TestPki.Issued server = pki.issue("server", TestPki.KeyType.EC_P256, "dns:proxy-postgres-backend.example.com");
    TestPki.Issued frontend = pki.issue("frontend", TestPki.KeyType.EC_P256, "dns:proxy-postgres-frontend.example.com");
    ConfigProblems problems = new ConfigProblems();
    DownstreamTls tls = DownstreamTls.compile(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
        .newBuilder().setRequireClientCertificate(com.google.protobuf.BoolValue.of(true))
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .addTlsCertificates(io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate.newBuilder()
                .setCertificateChain(DataSource.newBuilder().setFilename("server.crt.pem"))
                .setPrivateKey(DataSource.newBuilder().setFilename("server.key.pem")))
            .setValidationContext(CertificateValidationContext.newBuilder()
                .setTrustedCa(DataSource.newBuilder().setFilename("ca.crt.pem"))
                .addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder().setSanType(SubjectAltNameMatcher.SanType.DNS)
                    .setMatcher(StringMatcher.newBuilder().setExact("proxy-postgres-frontend.example.com"))))).build(),
        ConfigPath.of("tls"), problems, dir);
    assertThat(problems.list()).isEmpty();
    int port = proxy(tls, tcp("backend").build(), cluster("backend", echo(ch -> { })));
    var clientCtx = SslContextBuilder.forClient().keyManager(frontend.key(), frontend.cert())
        .trustManager(pki.caCert()).endpointIdentificationAlgorithm(null).build();
    CompletableFuture<String> reply = new CompletableFuture<>();
    Channel ch = new io.netty.bootstrap.Bootstrap().group(group).channel(io.netty.channel.socket.nio.NioSocketChannel.class)
        .handler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            c.pipeline().addLast(clientCtx.newHandler(c.alloc()), new ChannelInboundHandlerAdapter() {
              @Override
              public void channelRead(ChannelHandlerContext ctx, Object msg) {
                io.netty.buffer.ByteBuf b = (io.netty.buffer.ByteBuf) msg;
                reply.complete(b.toString(StandardCharsets.UTF_8));
                b.release();
              }
            });
          }
        }).connect("127.0.0.1", port).syncUninterruptibly().channel();
    ch.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer("SELECT 1", StandardCharsets.UTF_8));
    assertThat(reply.get(10, TimeUnit.SECONDS)).isEqualTo("SELECT 1");
    ch.close().syncUninterruptibly();
  }

  @Test
  void compileRefusesWhatItDoesNotImplement() {
    ConfigProblems problems = new ConfigProblems();
    assertThat(TcpProxy.compile(tcp("x").setStatPrefix("").setMaxConnectAttempts(UInt32Value.of(0))
            .addHashPolicy(io.envoyproxy.envoy.type.v3.HashPolicy.getDefaultInstance())
            .addAccessLog(io.envoyproxy.envoy.config.accesslog.v3.AccessLog.getDefaultInstance()).build(),
        ConfigPath.of("tcp"), problems, name -> null, stats)).isNull();
    assertThat(problems.list()).map(Object::toString).containsExactlyInAnyOrder(
        "tcp.hash_policy: field is not supported by weft",
        "tcp.access_log: field is not supported by weft",
        "tcp.stat_prefix: must not be empty",
        "tcp.max_connect_attempts: 0 is too small (expected: >= 1)");
  }
}
