package weft.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
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
import weft.proxy.http1.Http1RequestDecoder;

/**
 * weft's strict HTTP/1.1 request decoder on an {@link EmbeddedChannel}: one keep-alive request per
 * operation (a bare GET, or a browser-like GET with 11 headers, or a chunked POST), decoded objects
 * drained and released. Includes EmbeddedChannel's own small overhead.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class Http1DecodeBenchmark {
  @Param({"minimal", "typical", "chunked"})
  public String request;

  EmbeddedChannel channel;
  ByteBuf bytes;

  @Setup
  public void setUp() {
    String text = switch (request) {
      case "minimal" -> "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
      case "typical" -> "GET /api/v1/reviews/42?expand=author HTTP/1.1\r\n"
          + "Host: reviews.default.svc.cluster.local:9080\r\nUser-Agent: Mozilla/5.0 (X11; Linux x86_64)\r\n"
          + "Accept: text/html,application/xhtml+xml\r\nAccept-Encoding: gzip, deflate, br\r\n"
          + "Accept-Language: en-GB,en;q=0.9\r\nX-Request-Id: 5f2c1d8a-3b44-4e0e-9a61-0c8f2f0b7d11\r\n"
          + "X-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7\r\nX-B3-SpanId: e457b5a2e4d86bd1\r\n"
          + "X-B3-Sampled: 1\r\nCookie: session=abc123; theme=dark\r\nConnection: keep-alive\r\n\r\n";
      case "chunked" -> "POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "10\r\n0123456789abcdef\r\n8\r\n01234567\r\n0\r\n\r\n";
      default -> throw new IllegalArgumentException(request);
    };
    bytes = Unpooled.unreleasableBuffer(Unpooled.directBuffer().writeBytes(text.getBytes(StandardCharsets.US_ASCII)));
    channel = new EmbeddedChannel(new Http1RequestDecoder());
    if (decode() < 2) {
      throw new IllegalStateException("decoder produced too little for " + request);
    }
  }

  @Benchmark
  public int decode() {
    channel.writeInbound(bytes.duplicate());
    int n = 0;
    for (Object o; (o = channel.readInbound()) != null; ) {
      if (o instanceof weft.proxy.http1.Http1ProtocolError e) {
        throw new IllegalStateException("decoder rejected the benchmark request: " + e);
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
