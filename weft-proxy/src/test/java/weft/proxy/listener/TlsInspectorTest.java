package weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.proxy.observe.StatsStore;

/** The TLS inspector on EmbeddedChannels fed with ClientHellos from Netty's own TLS clients. */
class TlsInspectorTest {
  final StatsStore store = new StatsStore();
  final TlsInspector.Stats stats = TlsInspector.Stats.create(store);

  /** Records the inspector's event and every byte that reaches the handler after it. */
  static final class Downstream extends ChannelInboundHandlerAdapter {
    final List<TlsInspector.Result> events = new ArrayList<>();
    final ByteBuf bytes = Unpooled.buffer();

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof TlsInspector.Result r) {
        events.add(r);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      bytes.writeBytes(b);
      b.release();
    }
  }

  static ByteBuf clientHello(String sni, String... alpn) throws Exception {
    SslContextBuilder b = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE);
    if (alpn.length > 0) {
      b.applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
          ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
          ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, alpn));
    }
    SslContext ctx = b.build();
    EmbeddedChannel client = new EmbeddedChannel();
    client.pipeline().addLast(sni == null ? ctx.newHandler(client.alloc()) : ctx.newHandler(client.alloc(), sni, 443));
    CompositeByteBuf out = Unpooled.compositeBuffer();
    for (ByteBuf m; (m = client.readOutbound()) != null; ) {
      out.addComponent(true, m);
    }
    client.finishAndReleaseAll();
    return out;
  }

  EmbeddedChannel inspect(Downstream down) {
    return new EmbeddedChannel(new TlsInspector(stats, 0, false), down);
  }

  @Test
  void recordsSniAndAlpnAndForwardsEveryByteUntouched() throws Exception {
    ByteBuf hello = clientHello("Domain1.Example.com", "h2", "http/1.1");
    byte[] expected = ByteBufUtil.getBytes(hello);
    Downstream down = new Downstream();
    EmbeddedChannel ch = inspect(down);
    ch.writeInbound(hello);

    assertThat(down.events).containsExactly(new TlsInspector.Result("tls", "domain1.example.com", List.of("h2", "http/1.1")));
    assertThat(ch.attr(TlsInspector.RESULT).get()).isEqualTo(down.events.get(0));
    assertThat(ByteBufUtil.getBytes(down.bytes)).isEqualTo(expected);
    assertThat(ch.pipeline().get(TlsInspector.class)).isNull();
    assertThat(store.counter("tls_inspector.tls_found").value()).isEqualTo(1);
    assertThat(store.counter("tls_inspector.sni_found").value()).isEqualTo(1);
    assertThat(store.counter("tls_inspector.alpn_found").value()).isEqualTo(1);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @ParameterizedTest(name = "split every {0} bytes")
  @ValueSource(ints = {1, 3, 5, 6, 100})
  void handlesAClientHelloArrivingInPieces(int piece) throws Exception {
    ByteBuf hello = clientHello("a.example.com");
    byte[] all = ByteBufUtil.getBytes(hello);
    hello.release();
    Downstream down = new Downstream();
    EmbeddedChannel ch = inspect(down);
    for (int i = 0; i < all.length; i += piece) {
      assertThat(down.events).isEmpty();
      ch.writeInbound(Unpooled.wrappedBuffer(all, i, Math.min(piece, all.length - i)));
    }
    assertThat(down.events).containsExactly(new TlsInspector.Result("tls", "a.example.com", List.of()));
    assertThat(ByteBufUtil.getBytes(down.bytes)).isEqualTo(all);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void handlesAClientHelloSpreadOverTwoRecords() throws Exception {
    ByteBuf hello = clientHello("two.example.com", "h2");
    byte[] rec = ByteBufUtil.getBytes(hello);
    hello.release();
    int bodyLen = rec.length - 5;
    int first = 40;
    ByteBuf twoRecords = Unpooled.buffer();
    twoRecords.writeBytes(rec, 0, 3).writeShort(first).writeBytes(rec, 5, first);
    twoRecords.writeBytes(rec, 0, 3).writeShort(bodyLen - first).writeBytes(rec, 5 + first, bodyLen - first);
    Downstream down = new Downstream();
    EmbeddedChannel ch = inspect(down);
    ch.writeInbound(twoRecords);

    assertThat(down.events).containsExactly(new TlsInspector.Result("tls", "two.example.com", List.of("h2")));
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void plaintextIsRawBufferAndPassesThrough() {
    Downstream down = new Downstream();
    EmbeddedChannel ch = inspect(down);
    ch.writeInbound(Unpooled.copiedBuffer("GET / HTTP/1.1\r\n", StandardCharsets.US_ASCII));

    assertThat(down.events).containsExactly(TlsInspector.Result.RAW_BUFFER);
    assertThat(down.bytes.toString(StandardCharsets.US_ASCII)).isEqualTo("GET / HTTP/1.1\r\n");
    assertThat(store.counter("tls_inspector.tls_not_found").value()).isEqualTo(1);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void aClientHelloWithoutSniOrAlpnIsStillTls() throws Exception {
    Downstream down = new Downstream();
    EmbeddedChannel ch = inspect(down);
    ch.writeInbound(clientHello(null));
    assertThat(down.events).containsExactly(new TlsInspector.Result("tls", "", List.of()));
    assertThat(store.counter("tls_inspector.sni_not_found").value()).isEqualTo(1);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void anOversizedClientHelloClosesTheConnection() {
    Downstream down = new Downstream();
    EmbeddedChannel ch = new EmbeddedChannel(new TlsInspector(stats, 0, false, 1024), down);
    ByteBuf big = Unpooled.buffer().writeByte(22).writeShort(0x0301).writeShort(2000)
        .writeByte(1).writeMedium(1996).writeZero(1996);
    ch.writeInbound(big);

    assertThat(ch.isOpen()).isFalse();
    assertThat(down.events).isEmpty();
    assertThat(down.bytes.readableBytes()).isZero();
    assertThat(store.counter("tls_inspector.client_hello_too_large").value()).isEqualTo(1);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void aSilentConnectionIsClosedAtTheTimeout() {
    Downstream down = new Downstream();
    EmbeddedChannel ch = new EmbeddedChannel(new TlsInspector(stats, 15_000, false), down);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3}));
    ch.advanceTimeBy(15, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    assertThat(ch.isOpen()).isFalse();
    assertThat(down.events).isEmpty();
    assertThat(store.counter("tls_inspector.timeout").value()).isEqualTo(1);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }

  @Test
  void continueOnTimeoutCarriesOnAsRawBufferWithTheBytesSoFar() {
    Downstream down = new Downstream();
    EmbeddedChannel ch = new EmbeddedChannel(new TlsInspector(stats, 1_000, true), down);
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {22, 3}));
    ch.advanceTimeBy(1, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    assertThat(ch.isOpen()).isTrue();
    assertThat(down.events).containsExactly(TlsInspector.Result.RAW_BUFFER);
    assertThat(ByteBufUtil.getBytes(down.bytes)).containsExactly(22, 3);
    down.bytes.release();
    ch.finishAndReleaseAll();
  }
}
