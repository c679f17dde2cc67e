package weft.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** The ClientHello parser faces untrusted bytes: it must never throw nor move the reader index. */
class TlsClientHelloPropertiesTest {
  private static final byte[] HELLO;

  static {
    try {
      ByteBuf b = TlsInspectorTest.clientHello("fuzz.example.com", "h2", "http/1.1");
      HELLO = ByteBufUtil.getBytes(b);
      b.release();
    } catch (Exception e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @Property(tries = 300)
  void arbitraryBytesNeverThrowOrConsume(@ForAll @Size(max = 600) byte[] bytes) {
    ByteBuf in = Unpooled.wrappedBuffer(bytes);
    TlsClientHello.State s = new TlsClientHello(1024).parse(in);
    assertThat(s).isNotNull();
    assertThat(in.readerIndex()).isZero();
  }

  @Provide
  Arbitrary<int[]> mutations() {
    return Arbitraries.integers().between(0, Integer.MAX_VALUE).array(int[].class).ofMinSize(1).ofMaxSize(8);
  }

  @Property(tries = 500)
  void mutatedClientHellosNeverThrowOrConsume(@ForAll("mutations") int[] mutations,
      @ForAll @IntRange(min = 1, max = 4000) int truncateTo) {
    byte[] bytes = HELLO.clone();
    for (int m : mutations) {
      bytes[m % bytes.length] = (byte) (m >>> 8);
    }
    ByteBuf in = Unpooled.wrappedBuffer(bytes, 0, Math.min(truncateTo, bytes.length));
    TlsClientHello hello = new TlsClientHello(64 * 1024);
    TlsClientHello.State s = hello.parse(in);
    assertThat(in.readerIndex()).isZero();
    if (s == TlsClientHello.State.DONE) {
      assertThat(hello.serverName()).isNotNull();
      assertThat(hello.alpn()).isNotNull();
    }
  }
}
