package weft.proxy.cluster;

import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import io.netty.channel.EventLoopGroup;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.observe.StatsStore;

/** Builds clusters from JSON the way the bootstrap loader will (proto3 JSON with @type). */
final class ClusterFixtures {
  private ClusterFixtures() {}

  static final JsonFormat.Parser PARSER =
      JsonFormat.parser()
          .usingTypeRegistry(
              JsonFormat.TypeRegistry.newBuilder()
                  .add(HttpProtocolOptions.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.least_request.v3.LeastRequest.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.random.v3.Random.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.ring_hash.v3.RingHash.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.maglev.v3.Maglev.getDescriptor())
                  .add(io.envoyproxy.envoy.extensions.load_balancing_policies.pick_first.v3.PickFirst.getDescriptor())
                  .build());

  static Cluster cluster(String json) {
    Cluster.Builder b = Cluster.newBuilder();
    try {
      PARSER.merge(json, b);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
    return b.build();
  }

  /** A manual clock for outlier detection. */
  static final class FakeTicker implements Ticker {
    final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
      return now.get();
    }

    void advanceSeconds(long s) {
      now.addAndGet(s * 1_000_000_000L);
    }
  }

  record Built(ClusterManager manager, ConfigProblems problems, StatsStore stats, EventLoopGroup group)
      implements AutoCloseable {
    UpstreamCluster cluster(String name) {
      return manager.get(name);
    }

    @Override
    public void close() {
      manager.close();
      group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  static Built build(Ticker ticker, String... jsons) {
    return build(
        new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.local.LocalIoHandler.newFactory()),
        ticker,
        jsons);
  }

  /** Clusters on real NIO loops, for tests that open sockets (health checks, DNS). */
  static Built buildNio(String... jsons) {
    return build(
        new io.netty.channel.MultiThreadIoEventLoopGroup(1, io.netty.channel.nio.NioIoHandler.newFactory()),
        Ticker.system(),
        jsons);
  }

  static Built build(EventLoopGroup group, Ticker ticker, String... jsons) {
    StatsStore stats = new StatsStore();
    ConfigProblems problems = new ConfigProblems();
    List<Cluster> clusters = java.util.Arrays.stream(jsons).map(ClusterFixtures::cluster).toList();
    ClusterManager m =
        ClusterManager.create(
            clusters,
            ConfigPath.of("static_resources").field("clusters"),
            problems,
            new ClusterContext(group, stats, ticker, UpstreamTransportFactory.plaintextOnly()));
    return new Built(m, problems, stats, group);
  }

  static Built build(String... jsons) {
    return build(Ticker.system(), jsons);
  }

  /** A STATIC cluster JSON with 127.0.0.1 endpoints on the given ports at priority 0. */
  static String staticCluster(String name, String lbPolicy, String extra, int... ports) {
    StringBuilder eps = new StringBuilder();
    for (int i = 0; i < ports.length; i++) {
      if (i > 0) {
        eps.append(',');
      }
      eps.append("{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":")
          .append(ports[i])
          .append("}}}}");
    }
    return "{\"name\":\"" + name + "\",\"type\":\"STATIC\",\"lb_policy\":\"" + lbPolicy + "\""
        + (extra.isEmpty() ? "" : "," + extra)
        + ",\"load_assignment\":{\"cluster_name\":\"" + name + "\",\"endpoints\":[{\"lb_endpoints\":["
        + eps + "]}]}}";
  }
}
