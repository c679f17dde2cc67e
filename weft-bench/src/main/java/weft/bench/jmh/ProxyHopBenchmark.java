package weft.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import weft.bench.proxy.Backend;
import weft.proxy.server.ProxyServer;

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

  private Backend backend;
  private ProxyServer proxy;
  private Path dir;
  private Socket socket;
  private OutputStream out;
  private InputStream in;
  private final byte[] buf = new byte[16 * 1024];

  @Setup
  public void setUp() throws Exception {
    backend = Backend.start(1);
    dir = Files.createTempDirectory("weft-jmh-hop");
    Path config = dir.resolve("hop.yaml");
    Files.writeString(config, """
        static_resources:
          listeners:
          - name: ingress
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: "/"}
                        route: {cluster: upstream}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: upstream
            connect_timeout: 5s
            load_assignment:
              cluster_name: upstream
              endpoints:
              - lb_endpoints:
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}
        """.formatted(backend.port()));
    proxy = ProxyServer.start(config, 1);
    socket = new Socket("127.0.0.1", proxy.listenerAddresses().get(0).getPort());
    socket.setTcpNoDelay(true);
    out = socket.getOutputStream();
    in = socket.getInputStream();
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
    socket.close();
    proxy.close();
    backend.close();
    Files.deleteIfExists(dir.resolve("hop.yaml"));
    Files.deleteIfExists(dir);
  }
}
