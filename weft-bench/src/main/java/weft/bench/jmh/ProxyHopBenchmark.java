package weft.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One HTTP/1.1 keep-alive GET through a real weft hop (one event loop) to the built-in backend,
 * all in this JVM over loopback: the whole per-request path (decode, header rules, routing, pool,
 * timers, upstream codec, response relay). Run with {@code -prof gc}: {@code gc.alloc.rate.norm}
 * counts every thread's allocation per request (client, proxy and backend), so a proxy change
 * shows as a difference against the same benchmark on the previous build. The client is a
 * blocking socket with pre-encoded bytes, so its own share is small and constant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProxyHopBenchmark {
  private static final byte[] REQUEST = ("GET /small HTTP/1.1\r\nHost: bench.local\r\n"
      + "User-Agent: weft-jmh\r\nAccept: */*\r\nX-B3-TraceId: 80f198ee56343ba864fe8b2a57d3eff7\r\n"
      + "Cookie: session=abc123\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private ProxyHop hop;
  private OutputStream out;
  private InputStream in;
  private final byte[] buf = new byte[16 * 1024];

  @Setup
  public void setUp() throws Exception {
    hop = ProxyHop.start("weft-jmh-hop", "");
    out = hop.out();
    in = hop.in();
    if (roundTrip() != 100) {
      throw new IllegalStateException("expected a 100 B body through the hop");
    }
  }

  @Benchmark
  public int roundTrip() throws IOException {
    out.write(REQUEST);
    // read the head, then the body by content-length
    int n = 0;
    int headEnd = -1;
    while (headEnd < 0) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("proxy closed the connection");
      }
      n += r;
      headEnd = indexOfHeadEnd(buf, n);
    }
    int length = contentLength(buf, headEnd);
    while (n < headEnd + length) {
      int r = in.read(buf, n, buf.length - n);
      if (r < 0) {
        throw new IOException("proxy closed the connection");
      }
      n += r;
    }
    return length;
  }

  private static int indexOfHeadEnd(byte[] b, int n) {
    for (int i = 3; i < n; i++) {
      if (b[i] == '\n' && b[i - 1] == '\r' && b[i - 2] == '\n' && b[i - 3] == '\r') {
        return i + 1;
      }
    }
    return -1;
  }

  private static final byte[] CL = "\ncontent-length:".getBytes(StandardCharsets.US_ASCII);

  private static int contentLength(byte[] b, int headEnd) {
    outer:
    for (int i = 0; i + CL.length < headEnd; i++) {
      for (int j = 0; j < CL.length; j++) {
        if (Character.toLowerCase(b[i + j]) != CL[j]) {
          continue outer;
        }
      }
      int v = 0;
      for (int k = i + CL.length; k < headEnd && b[k] != '\r'; k++) {
        if (b[k] >= '0' && b[k] <= '9') {
          v = v * 10 + (b[k] - '0');
        }
      }
      return v;
    }
    throw new IllegalStateException("no content-length in the response head");
  }

  @TearDown
  public void tearDown() throws Exception {
    hop.close();
  }
}
