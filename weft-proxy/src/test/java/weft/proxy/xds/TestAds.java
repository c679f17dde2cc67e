package weft.proxy.xds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.envoyproxy.controlplane.cache.v3.SimpleCache;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import weft.proxy.config.BootstrapLoader;

/**
 * An in-test ADS server (java-control-plane's {@code V3DiscoveryServer} over a {@code SimpleCache})
 * on a loopback port, plus YAML builders for the resources it serves.
 */
final class TestAds implements AutoCloseable {
  static final String NODE = "shop/web";
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonFormat.Parser PARSER =
      JsonFormat.parser().usingTypeRegistry(BootstrapLoader.typeRegistry());

  final SimpleCache<String> cache = new SimpleCache<>(node -> node.getId());
  /** Every request the server received, in order (both protocols). */
  final List<DiscoveryRequest> requests = new CopyOnWriteArrayList<>();
  final List<DeltaDiscoveryRequest> deltaRequests = new CopyOnWriteArrayList<>();
  private Server server;
  private final int port;

  TestAds(int port) throws IOException {
    DiscoveryServerCallbacks record = new DiscoveryServerCallbacks() {
      @Override
      public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
        requests.add(request);
      }

      @Override
      public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
        deltaRequests.add(request);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port))
        .addService(new V3DiscoveryServer(record, cache).getAggregatedDiscoveryServiceImpl())
        .build().start();
    this.port = server.getPort();
  }

  int port() {
    return port;
  }

  void set(String version, List<Cluster> clusters, List<ClusterLoadAssignment> endpoints,
      List<Listener> listeners, List<RouteConfiguration> routes, List<Secret> secrets) {
    cache.setSnapshot(NODE, Snapshot.create(clusters, endpoints, listeners, routes, secrets, version));
  }

  @SuppressWarnings("unchecked")
  static <T extends Message> T parse(String yaml, Message.Builder b) {
    try {
      PARSER.merge(JSON.writeValueAsString(YAML.readTree(yaml)), b);
      return (T) b.build();
    } catch (Exception e) {
      throw new IllegalArgumentException("bad test yaml: " + e.getMessage() + "\n" + yaml, e);
    }
  }

  static Cluster edsCluster(String name) {
    return parse("""
        name: %s
        type: EDS
        connect_timeout: 1s
        eds_cluster_config: {eds_config: {ads: {}}}
        """.formatted(name), Cluster.newBuilder());
  }

  /** One locality with a host on 127.0.0.1 at each of {@code ports}. */
  static ClusterLoadAssignment endpoints(String cluster, int... ports) {
    ClusterLoadAssignment.Builder b = ClusterLoadAssignment.newBuilder().setClusterName(cluster);
    var lb = b.addEndpointsBuilder();
    for (int port : ports) {
      lb.addLbEndpoints(endpoints(cluster, port).getEndpoints(0).getLbEndpoints(0));
    }
    return b.build();
  }

  static ClusterLoadAssignment endpoints(String cluster, int port) {
    return parse("""
        cluster_name: %s
        endpoints:
        - lb_endpoints:
          - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}
        """.formatted(cluster, port), ClusterLoadAssignment.newBuilder());
  }

  /** An HTTP listener on 127.0.0.1:{@code port} whose HCM takes route config {@code routes} by RDS. */
  static Listener httpListener(String name, int port, String routes) {
    return httpListener(name, port, routes, "ingress");
  }

  /** The same with another {@code stat_prefix} (a change of the listener itself). */
  static Listener httpListener(String name, int port, String routes, String statPrefix) {
    return parse("""
        name: %s
        address: {socket_address: {address: 127.0.0.1, port_value: %d}}
        filter_chains:
        - filters:
          - name: envoy.filters.network.http_connection_manager
            typed_config:
              "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
              stat_prefix: %s
              rds: {route_config_name: %s, config_source: {ads: {}}}
              http_filters:
              - name: envoy.filters.http.router
                typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
        """.formatted(name, port, statPrefix, routes), Listener.newBuilder());
  }

  static RouteConfiguration routeTo(String name, String cluster) {
    return parse("""
        name: %s
        virtual_hosts:
        - name: all
          domains: ["*"]
          routes:
          - match: {prefix: /}
            route: {cluster: %s, timeout: 10s}
        """.formatted(name, cluster), RouteConfiguration.newBuilder());
  }

  /** Stops serving (the proxy's stream breaks). */
  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
  }
}
