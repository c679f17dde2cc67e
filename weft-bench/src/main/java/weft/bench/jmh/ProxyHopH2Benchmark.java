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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import weft.bench.proxy.Backend;

/**
 * As {@link ProxyHopBenchmark}, over h2c (prior knowledge) downstream: one GET per new stream on
 * one connection through a real weft hop to the built-in backend, upstream HTTP/1.1 or h2c
 * ({@code upstream} parameter). Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is every
 * thread's allocation per request. The client is a blocking socket writing pre-encoded frames
 * (HPACK literals without indexing, so each request's bytes are the same but for the stream id)
 * and parsing frames by hand, so its own share is small and constant.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class ProxyHopH2Benchmark {
  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  @Param({"h1", "h2"})
  public String upstream;

  private ProxyHop hop;
  private OutputStream out;
  private InputStream in;
  private byte[] request;
  private int streamId = 1;
  private int unacked;
  private final byte[] head = new byte[9];
  private byte[] payload = new byte[16 * 1024];

  @Setup
  public void setUp() throws Exception {
    String h2 = upstream.equals("h2") ? """
            typed_extension_protocol_options:
              envoy.extensions.upstreams.http.v3.HttpProtocolOptions:
                "@type": type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions
                explicit_http_config: {http2_protocol_options: {}}
        """ : "";
    hop = ProxyHop.start("weft-jmh-hop-h2", h2);
    out = hop.out();
    in = hop.in();
    request = headersFrame();
    out.write(PREFACE);
    out.write(new byte[] {0, 0, 0, 4, 0, 0, 0, 0, 0}); // empty SETTINGS
    out.flush();
    if (roundTrip() != Backend.SMALL_BYTES) {
      throw new IllegalStateException("expected a 100 B body through the hop");
    }
  }

  /** HEADERS (END_STREAM | END_HEADERS) for GET /small; the stream id is patched per request. */
  private static byte[] headersFrame() {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    b.write(0x82); // :method GET (static 2)
    b.write(0x86); // :scheme http (static 6)
    literal(b, 4, "/small"); // :path
    literal(b, 1, "bench.local"); // :authority
    literal(b, "user-agent", "weft-jmh");
    literal(b, "accept", "*/*");
    literal(b, "x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    literal(b, "cookie", "session=abc123");
    byte[] block = b.toByteArray();
    byte[] f = new byte[9 + block.length];
    f[0] = (byte) (block.length >>> 16);
    f[1] = (byte) (block.length >>> 8);
    f[2] = (byte) block.length;
    f[3] = 1;
    f[4] = 0x5;
    System.arraycopy(block, 0, f, 9, block.length);
    return f;
  }

  /** Literal without indexing, indexed name (static table index below 15). */
  private static void literal(java.io.ByteArrayOutputStream b, int nameIndex, String value) {
    b.write(nameIndex);
    string(b, value);
  }

  /** Literal without indexing, new name. */
  private static void literal(java.io.ByteArrayOutputStream b, String name, String value) {
    b.write(0);
    string(b, name);
    string(b, value);
  }

  private static void string(java.io.ByteArrayOutputStream b, String s) {
    byte[] v = s.getBytes(StandardCharsets.US_ASCII);
    b.write(v.length); // all shorter than 127: one-byte length, no Huffman
    b.write(v, 0, v.length);
  }

  @Benchmark
  public int roundTrip() throws IOException {
    int id = streamId;
    streamId += 2;
    request[5] = (byte) (id >>> 24);
    request[6] = (byte) (id >>> 16);
    request[7] = (byte) (id >>> 8);
    request[8] = (byte) id;
    out.write(request);
    out.flush();
    int body = 0;
    while (true) {
      readFully(head, 9);
      int len = ((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff);
      int type = head[3];
      int flags = head[4];
      int sid = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8)
          | (head[8] & 0xff);
      if (payload.length < len) {
        payload = new byte[len];
      }
      readFully(payload, len);
      switch (type) {
        case 0 -> { // DATA
          if (sid == id) {
            body += len;
          }
          unacked += len;
          if (unacked > 16 * 1024) {
            windowUpdate(unacked);
            unacked = 0;
          }
          if (sid == id && (flags & 1) != 0) {
            return body;
          }
        }
        case 1 -> { // HEADERS
          if (sid == id && (flags & 1) != 0) {
            return body;
          }
        }
        case 3 -> throw new IOException("stream reset by the proxy");
        case 4 -> {
          if ((flags & 1) == 0) {
            out.write(new byte[] {0, 0, 0, 4, 1, 0, 0, 0, 0}); // SETTINGS ACK
            out.flush();
          }
        }
        case 6 -> {
          if ((flags & 1) == 0) {
            byte[] ack = new byte[17];
            ack[2] = 8;
            ack[3] = 6;
            ack[4] = 1;
            System.arraycopy(payload, 0, ack, 9, 8);
            out.write(ack);
            out.flush();
          }
        }
        case 7 -> throw new IOException("GOAWAY from the proxy");
        default -> {
          // WINDOW_UPDATE, PRIORITY and the rest need no answer
        }
      }
    }
  }

  private void windowUpdate(int n) throws IOException {
    out.write(new byte[] {0, 0, 4, 8, 0, 0, 0, 0, 0,
        (byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    out.flush();
  }

  private void readFully(byte[] b, int n) throws IOException {
    int off = 0;
    while (off < n) {
      int r = in.read(b, off, n - off);
      if (r < 0) {
        throw new IOException("proxy closed the connection");
      }
      off += r;
    }
  }

  @TearDown
  public void tearDown() throws Exception {
    hop.close();
  }
}
