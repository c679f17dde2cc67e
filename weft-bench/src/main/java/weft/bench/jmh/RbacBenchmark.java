package weft.bench.jmh;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC;
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
import org.openjdk.jmh.annotations.Warmup;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.filter.rbac.RbacFilterConfig;
import weft.proxy.observe.StatsStore;

/**
 * HTTP RBAC as an Istio AuthorizationPolicy translates: an ALLOW policy per calling service (its
 * SPIFFE principal, methods and a path prefix). {@code policies} policies; the request's caller is
 * the last one (all earlier policies are evaluated and fail) or nobody (denied).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RbacBenchmark {
  @Param({"10", "100"})
  public int policies;

  @Param({"last", "denied"})
  public String caller;

  RbacFilterConfig rbac;
  BenchRequest request;

  @Setup
  public void setUp() throws Exception {
    StringBuilder json = new StringBuilder("{\"rules\":{\"action\":\"ALLOW\",\"policies\":{");
    for (int i = 0; i < policies; i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append("\"ns[bench]-policy[p").append(i).append("]-rule[0]\":{")
          .append("\"permissions\":[{\"and_rules\":{\"rules\":[")
          .append("{\"or_rules\":{\"rules\":[{\"header\":{\"name\":\":method\",\"string_match\":{\"exact\":\"GET\"}}},")
          .append("{\"header\":{\"name\":\":method\",\"string_match\":{\"exact\":\"POST\"}}}]}},")
          .append("{\"url_path\":{\"path\":{\"prefix\":\"/api/v").append(i).append("/\"}}}]}}],")
          .append("\"principals\":[{\"authenticated\":{\"principal_name\":{\"exact\":\"spiffe://cluster.local/ns/bench/sa/svc")
          .append(i).append("\"}}}]}");
    }
    json.append("}}}");
    RBAC.Builder b = RBAC.newBuilder();
    JsonFormat.parser().merge(json.toString(), b);
    ConfigProblems problems = new ConfigProblems();
    rbac = RbacFilterConfig.compileHttp(b.build(), "bench", new StatsStore(), ConfigPath.of("rbac"), problems);
    problems.throwIfAny("benchmark rbac");
    int last = policies - 1;
    String principal = caller.equals("last") ? "spiffe://cluster.local/ns/bench/sa/svc" + last
        : "spiffe://cluster.local/ns/bench/sa/intruder";
    request = new BenchRequest("GET", "/api/v" + last + "/items/42", principal);
    if (rbac.check(request).allowed() != caller.equals("last")) {
      throw new IllegalStateException("unexpected decision for " + caller);
    }
  }

  @Benchmark
  public boolean evaluate() {
    return rbac.check(request).allowed();
  }
}
