package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.controlplane.WhoService;

/**
 * Interop with an xDS client weft did not write: grpc-java's proxyless xDS resolves {@code
 * xds:///svc} through weft's xDS server (LDS API listener -> RDS -> CDS -> EDS over ADS) and follows
 * a weighted route to two real gRPC servers.
 *
 * <p>grpc-xds reads {@code io.grpc.xds.bootstrapConfig} once per JVM, when the first {@code xds:}
 * channel without a bootstrap of its own is built: this class is the only one in the module that
 * builds such channels ({@code weft.controlplane.ProxylessGrpcInteropTest} passes its bootstrap to
 * its channel).
 */
@Timeout(60)
class GrpcXdsInteropTest {
  private static final String NODE = "grpc-interop-client";
  private static final MethodDescriptor<byte[], byte[]> WHO = WhoService.WHO;

  private XdsServer xds;
  private Server backendA;
  private Server backendB;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server s : new Server[] {backendA, backendB}) {
      if (s != null) {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (xds != null) {
      xds.close();
    }
  }

  @Test
  void proxylessGrpcResolvesThroughWeftAndFollowsAWeightedRoute() throws Exception {
    backendA = backend("a");
    backendB = backend("b");
    xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry());
    xds.publish(Map.of(NODE, snapshot(80, 20)));
    System.setProperty("io.grpc.xds.bootstrapConfig", """
        {"xds_servers": [{"server_uri": "127.0.0.1:%d",
                          "channel_creds": [{"type": "insecure"}],
                          "server_features": ["xds_v3"]}],
         "node": {"id": "%s", "cluster": "interop"}}
        """.formatted(xds.port(), NODE));

    channel = ManagedChannelBuilder.forTarget("xds:///svc").usePlaintext().build();
    Map<String, Integer> answered = new HashMap<>();
    int calls = 400;
    for (int i = 0; i < calls; i++) {
      byte[] who = ClientCalls.blockingUnaryCall(channel, WHO,
          CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(20, TimeUnit.SECONDS),
          new byte[0]);
      answered.merge(new String(who, StandardCharsets.UTF_8), 1, Integer::sum);
    }

    assertThat(answered.keySet()).containsExactlyInAnyOrder("a", "b");
    // 80/20 over 400 calls: the standard deviation is 8 calls, the bounds are 4 of them away
    assertThat(answered.get("a")).isBetween(288, 352);

    // the client ACKed every type it was sent, and weft recorded it
    ProxyStatus status = xds.statuses().get(NODE).orElseThrow();
    assertThat(status.connected()).isTrue();
    assertThat(status.lastNack()).isEmpty();
    assertThat(status.ackedVersions()).hasSize(4);
  }

  private static ProxySnapshot snapshot(int weightA, int weightB) {
    ConfigSource ads = ConfigSource.newBuilder()
        .setAds(AggregatedConfigSource.getDefaultInstance()).build();
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setRds(Rds.newBuilder().setRouteConfigName("svc-routes").setConfigSource(ads))
        .addHttpFilters(HttpFilter.newBuilder().setName("envoy.filters.http.router")
            .setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    Listener listener = Listener.newBuilder().setName("svc")
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
    RouteConfiguration routes = RouteConfiguration.newBuilder().setName("svc-routes")
        .addVirtualHosts(VirtualHost.newBuilder().setName("svc").addDomains("svc")
            .addRoutes(Route.newBuilder()
                .setMatch(RouteMatch.newBuilder().setPrefix(""))
                .setRoute(RouteAction.newBuilder().setWeightedClusters(WeightedCluster.newBuilder()
                    .addClusters(weighted("cluster-a", weightA))
                    .addClusters(weighted("cluster-b", weightB))))))
        .build();
    return ProxySnapshot.of(List.of(listener), List.of(routes),
        List.of(edsCluster("cluster-a", ads), edsCluster("cluster-b", ads)),
        List.of(endpoints("cluster-a", backendPort("a")), endpoints("cluster-b", backendPort("b"))),
        List.of());
  }

  private static final Map<String, Integer> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

  private static int backendPort(String name) {
    return PORTS.get(name);
  }

  private static WeightedCluster.ClusterWeight weighted(String name, int weight) {
    return WeightedCluster.ClusterWeight.newBuilder().setName(name)
        .setWeight(UInt32Value.of(weight)).build();
  }

  private static Cluster edsCluster(String name, ConfigSource ads) {
    return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ads))
        .setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build();
  }

  private static ClusterLoadAssignment endpoints(String cluster, int port) {
    return ClusterLoadAssignment.newBuilder().setClusterName(cluster)
        .addEndpoints(LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setRegion("local").setZone("z1"))
            // grpc ignores localities without a weight
            .setLoadBalancingWeight(UInt32Value.of(1))
            .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(Endpoint.newBuilder()
                .setAddress(Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
                    .setAddress("127.0.0.1").setPortValue(port))))))
        .build();
  }

  private static Server backend(String name) throws IOException {
    Server s = WhoService.start("127.0.0.1", name);
    PORTS.put(name, s.getPort());
    return s;
  }

}
