package weft.bench.jmh;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.Map;
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
import org.openjdk.jmh.annotations.Warmup;
import weft.proxy.matcher.HeaderSource;

/**
 * The header operations a proxied request pays for on Netty's {@code HttpHeaders} (weft's header
 * map): building a typical 11-header request, matcher lookups through {@link HeaderSource}, and the
 * router's copy to the upstream request with edits (drop hop-by-hop, add x-forwarded-for and
 * x-envoy-expected-rq-timeout-ms).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class HeaderMapBenchmark {
  HttpHeaders request;

  @Setup
  public void setUp() {
    request = BenchRequest.typicalHeaders();
  }

  @Benchmark
  public HttpHeaders build() {
    return BenchRequest.typicalHeaders();
  }

  @Benchmark
  public int lookups() {
    int n = 0;
    n += len(HeaderSource.joined(request, "x-request-id"));
    n += len(HeaderSource.joined(request, "x-tenant"));
    n += len(HeaderSource.joined(request, "authorization"));
    n += len(HeaderSource.joined(request, "cookie"));
    return n;
  }

  @Benchmark
  public HttpHeaders copyForUpstream() {
    HttpHeaders out = new DefaultHttpHeaders(false);
    for (var it = request.iteratorAsString(); it.hasNext(); ) {
      Map.Entry<String, String> e = it.next();
      String name = e.getKey();
      if (!name.equals("connection") && !name.equals("keep-alive") && !name.equals("te")
          && !name.equals("transfer-encoding") && !name.equals("upgrade")) {
        out.add(name, e.getValue());
      }
    }
    out.set("x-forwarded-for", "10.0.0.7");
    out.set("x-envoy-expected-rq-timeout-ms", "15000");
    return out;
  }

  private static int len(String s) {
    return s == null ? 0 : s.length();
  }
}
