package weft.bench.jmh;

import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
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
import weft.proxy.route.RouteResult;
import weft.proxy.route.RouteTable;

/**
 * Route matching over 1,000 routes in one virtual host, Envoy's first-match order: prefix routes
 * {@code /svc<i>/}, every fourth also requiring a header ({@code x-tenant: acme}) and every tenth a
 * regex path instead. {@code target} picks which route matches: the first, the middle, the last,
 * or none (a miss walks all 1,000).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class RouteMatchBenchmark {
  static final int ROUTES = 1000;

  @Param({"1", "500", "999", "miss"})
  public String target;

  RouteTable table;
  BenchRequest request;

  @Setup
  public void setUp() throws Exception {
    VirtualHost.Builder vh = VirtualHost.newBuilder().setName("all").addDomains("*");
    for (int i = 0; i < ROUTES; i++) {
      RouteMatch.Builder m = RouteMatch.newBuilder();
      if (i % 10 == 7) {
        m.setSafeRegex(io.envoyproxy.envoy.type.matcher.v3.RegexMatcher.newBuilder()
            .setRegex("/svc" + i + "/[a-z]+/[0-9]+"));
      } else {
        m.setPrefix("/svc" + i + "/");
      }
      if (i % 4 == 1) {
        m.addHeaders(HeaderMatcher.newBuilder().setName("x-tenant")
            .setStringMatch(StringMatcher.newBuilder().setExact("acme")));
      }
      vh.addRoutes(Route.newBuilder().setName("r" + i).setMatch(m)
          .setRoute(RouteAction.newBuilder().setCluster("c" + (i % 20))));
    }
    ConfigProblems problems = new ConfigProblems();
    table = RouteTable.compile(RouteConfiguration.newBuilder().setName("bench").addVirtualHosts(vh).build(),
        ConfigPath.of("route_config"), problems);
    problems.throwIfAny("benchmark routes");
    String path = target.equals("miss") ? "/nothing/here" : "/svc" + target + "/items/42";
    request = new BenchRequest("GET", path, null);
    RouteResult r = table.route(request);
    if (target.equals("miss") != (r instanceof RouteResult.NoRoute)) {
      throw new IllegalStateException("route for " + path + " gave " + r);
    }
  }

  @Benchmark
  public RouteResult route() {
    return table.route(request);
  }
}
