package weft.bench.jmh;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.netty.channel.DefaultEventLoopGroup;
import io.netty.channel.EventLoopGroup;
import java.util.List;
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
import weft.proxy.cluster.ClusterContext;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.cluster.Host;
import weft.proxy.cluster.LbContext;
import weft.proxy.cluster.UpstreamCluster;
import weft.proxy.cluster.UpstreamTransportFactory;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;

/** {@code UpstreamCluster.choose} over 100 healthy endpoints for each load-balancing policy. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
public class LbPickBenchmark {
  @Param({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
  public String policy;

  EventLoopGroup loop;
  ClusterManager manager;
  UpstreamCluster cluster;
  long hash;

  @Setup
  public void setUp() throws Exception {
    StringBuilder eps = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      eps.append(i == 0 ? "" : ",").append("{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"10.1.")
          .append(i / 250).append('.').append(i % 250 + 1).append("\",\"port_value\":8080}}}}");
    }
    String json = "{\"name\":\"bench\",\"type\":\"STATIC\",\"connect_timeout\":\"1s\",\"lb_policy\":\"" + policy
        + "\",\"load_assignment\":{\"cluster_name\":\"bench\",\"endpoints\":[{\"lb_endpoints\":[" + eps + "]}]}}";
    Cluster.Builder b = Cluster.newBuilder();
    JsonFormat.parser().merge(json, b);
    loop = new DefaultEventLoopGroup(1);
    ConfigProblems problems = new ConfigProblems();
    manager = ClusterManager.create(List.of(b.build()), ConfigPath.of("clusters"), problems,
        ClusterContext.of(loop, new StatsStore(), UpstreamTransportFactory.plaintextOnly()));
    problems.throwIfAny("benchmark cluster");
    manager.start().get(10, TimeUnit.SECONDS);
    cluster = manager.get("bench");
    if (cluster.choose(LbContext.hash(1)) == null) {
      throw new IllegalStateException(policy + " picked no host");
    }
  }

  @Benchmark
  public Host choose() {
    // a different hash per call so the hashing policies do not hit one ring slot every time
    hash += 0x9E3779B97F4A7C15L;
    return cluster.choose(policy.endsWith("HASH") || policy.equals("MAGLEV") ? LbContext.hash(hash) : LbContext.NONE);
  }

  @TearDown
  public void tearDown() {
    manager.close();
    loop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
  }
}
