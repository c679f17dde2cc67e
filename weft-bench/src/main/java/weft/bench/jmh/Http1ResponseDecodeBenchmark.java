package weft.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import weft.proxy.http1.Http1ResponseDecoder;

/**
 * Upstream HTTP/1.1 response decoding on an {@link EmbeddedChannel}: weft's strict decoder (what
 * the proxy's upstream connections use) against Netty's {@code HttpResponseDecoder} (what they used
 * before), on nginx's 100 B answer and on a chunked response with a trailer. Decoded objects are
 * drained and released; includes EmbeddedChannel's own small overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Http1ResponseDecodeBenchmark {
  @Param({"weft", "netty"})
  public String decoder;

  @Param({"nginx", "chunked"})
  public String response;

  EmbeddedChannel channel;
  Http1ResponseDecoder weft;
  ByteBuf bytes;

  @Setup
  public void setUp() {
    String text = switch (response) {
      case "nginx" -> "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nDate: Sat, 21 Nov 2026 16:00:00 GMT\r\n"
          + "Content-Type: application/octet-stream\r\nContent-Length: 100\r\nConnection: keep-alive\r\n\r\n"
          + "x".repeat(100);
      case "chunked" -> "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "10\r\n0123456789abcdef\r\n8\r\n01234567\r\n0\r\nx-checksum: 42\r\n\r\n";
      default -> throw new IllegalArgumentException(response);
    };
    bytes = Unpooled.unreleasableBuffer(
        Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
    ChannelHandler h;
    if (decoder.equals("weft")) {
      weft = new Http1ResponseDecoder();
      h = weft;
    } else {
      h = new HttpResponseDecoder();
    }
    channel = new EmbeddedChannel(h);
    if (decode() < 2) {
      throw new IllegalStateException("decoder produced too little for " + response);
    }
  }

  @Benchmark
  public int decode() {
    if (weft != null) {
      weft.expectResponseTo(HttpMethod.GET);
    }
    channel.writeInbound(bytes.duplicate());
    int n = 0;
    for (Object o; (o = channel.readInbound()) != null; ) {
      if (o instanceof weft.proxy.http1.Http1ProtocolError e) {
        throw new IllegalStateException("decoder rejected the benchmark response: " + e);
      }
      ReferenceCountUtil.release(o);
      n++;
    }
    return n;
  }

  @TearDown
  public void tearDown() {
    channel.finishAndReleaseAll();
  }
}
