package weft.controlplane.xds;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Push benchmark (not a test; run by hand): N simulated proxies on ADS SotW, each watching CDS and
 * EDS of S services and ACKing every response at once; prints the time from {@code publish} to
 * every proxy having ACKed the new version, for a change of one endpoint (EDS only) and of every
 * cluster (CDS + EDS).
 *
 * <p>{@code java -cp <test classpath> weft.controlplane.xds.XdsPushHarness [proxies] [services]}
 */
public final class XdsPushHarness {
  private XdsPushHarness() {}

  public static void main(String[] args) throws Exception {
    int proxies = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    int services = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
    try (XdsServer server =
        XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry())) {
      server.publish(snapshots(proxies, services, 0, ""));
      List<ManagedChannel> channels = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        channels.add(NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext()
            .maxInboundMessageSize(64 << 20).build());
      }
      for (int p = 0; p < proxies; p++) {
        connect(channels.get(p % channels.size()), "ns/proxy-" + p);
      }
      awaitAllAcked(server, proxies);
      System.out.printf("initial sync of %d proxies x %d services: version %d%n",
          proxies, services, server.version());
      for (int round = 1; round <= 5; round++) {
        measure(server, proxies, "one endpoint changed (EDS)",
            snapshots(proxies, services, round, "v" + (round - 1)));
        measure(server, proxies, "every cluster changed (CDS+EDS)",
            snapshots(proxies, services, round, "v" + round));
      }
      for (ManagedChannel c : channels) {
        c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static void measure(XdsServer server, int proxies, String what,
      Map<String, ProxySnapshot> next) throws InterruptedException {
    long start = System.nanoTime();
    server.publish(next);
    long published = System.nanoTime();
    awaitAllAcked(server, proxies);
    long done = System.nanoTime();
    System.out.printf("%-34s version %3d: publish %6.1f ms, all %d ACKed after %6.1f ms%n", what,
        server.version(), (published - start) / 1e6, proxies, (done - start) / 1e6);
  }

  private static void awaitAllAcked(XdsServer server, int proxies) throws InterruptedException {
    String v = Long.toString(server.version());
    while (true) {
      List<ProxyStatus> all = server.statuses().all();
      if (all.size() == proxies && all.stream().allMatch(s -> s.inSync()
          && s.ackedVersions().size() == 2
          && s.ackedVersions().values().stream().anyMatch(v::equals))) {
        return;
      }
      Thread.sleep(1);
    }
  }

  private static void connect(ManagedChannel channel, String nodeId) {
    Node node = Node.newBuilder().setId(nodeId).build();
    List<StreamObserver<DiscoveryRequest>> out = new ArrayList<>(1);
    out.add(AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(
        new StreamObserver<>() {
          @Override
          public void onNext(DiscoveryResponse r) {
            synchronized (out) {
              out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node)
                  .setTypeUrl(r.getTypeUrl())
                  .setVersionInfo(r.getVersionInfo()).setResponseNonce(r.getNonce()).build());
            }
          }

          @Override
          public void onError(Throwable t) {}

          @Override
          public void onCompleted() {}
        }));
    synchronized (out) {
      out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node)
          .setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
      out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node)
          .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL).build());
    }
  }

  /** Every proxy sees every service; {@code endpointRound} moves service 0's endpoint port. */
  private static Map<String, ProxySnapshot> snapshots(
      int proxies, int services, int endpointRound, String clusterTag) {
    ConfigSource ads = ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance()).build();
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    for (int s = 0; s < services; s++) {
      String name = "outbound|80||svc-" + s + ".ns.svc.cluster.local";
      clusters.add(Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
          .setAltStatName(clusterTag)
          .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads)).build());
      int port = 8080 + (s == 0 ? endpointRound : 0);
      LocalityLbEndpoints.Builder lle = LocalityLbEndpoints.newBuilder()
          .setLoadBalancingWeight(UInt32Value.of(1));
      for (int e = 0; e < 3; e++) {
        lle.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
            .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                .setAddress("10.0." + (s % 250) + "." + (e + 1)).setPortValue(port)))));
      }
      endpoints.add(ClusterLoadAssignment.newBuilder().setClusterName(name).addEndpoints(lle)
          .build());
    }
    Map<String, ProxySnapshot> out = new HashMap<>();
    for (int p = 0; p < proxies; p++) {
      // each proxy gets its own snapshot object, as the translator produces them
      out.put("ns/proxy-" + p,
          ProxySnapshot.of(List.of(), List.of(), clusters, endpoints, List.of()));
    }
    return out;
  }
}
