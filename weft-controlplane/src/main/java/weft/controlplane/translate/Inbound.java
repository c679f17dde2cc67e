package weft.controlplane.translate;

import com.google.protobuf.Any;
import com.google.protobuf.BoolValue;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import java.util.ArrayList;
import java.util.List;
import weft.api.Workload;
import weft.api.inventory.WorkloadPort;
import weft.policy.export.InboundRbac;
import weft.policy.model.MtlsPolicy;

/**
 * A workload's inbound side (docs/controlplane.md): per workload port a listener on {@code
 * address:port} whose TLS follows the effective PeerAuthentication mode, with the workload's RBAC,
 * forwarding to cluster {@code inbound|<port>||} = the app at {@code app.address:port+portOffset}.
 */
final class Inbound {
  static final String HCM = "envoy.filters.network.http_connection_manager";
  static final String TCP_PROXY = "envoy.filters.network.tcp_proxy";
  static final String NETWORK_RBAC = "envoy.filters.network.rbac";
  static final String HTTP_RBAC = "envoy.filters.http.rbac";
  static final String ROUTER = "envoy.filters.http.router";

  private Inbound() {}

  static String clusterName(int port) {
    return "inbound|" + port + "||";
  }

  static Listener listener(Workload w, WorkloadPort port, MtlsPolicy.Mode mode, InboundRbac rbac, FlowLogs logs) {
    String address = w.addresses().get(0).getHostAddress();
    boolean http = Protocols.isHttp(port.appProtocol(), port.name());
    List<Filter> filters = new ArrayList<>();
    for (var r : http ? rbac.httpNetwork() : rbac.tcpNetwork()) {
      filters.add(Envoy.filter(NETWORK_RBAC, r));
    }
    String stat = "inbound_" + port.port();
    if (http) {
      HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
          .setStatPrefix(stat)
          .addAllAccessLog(logs.http(FlowLogs.INBOUND))
          .setRouteConfig(RouteConfiguration.newBuilder()
              .setName(clusterName(port.port()))
              .addVirtualHosts(VirtualHost.newBuilder()
                  .setName("inbound|http|" + port.port())
                  .addDomains("*")
                  .addRoutes(Route.newBuilder()
                      .setName("default")
                      .setMatch(RouteMatch.newBuilder().setPrefix("/"))
                      // Istio disables the route timeout inbound: the caller's timeout governs
                      .setRoute(RouteAction.newBuilder().setCluster(clusterName(port.port()))
                          .setTimeout(com.google.protobuf.Duration.getDefaultInstance())))));
      for (var r : rbac.http()) {
        hcm.addHttpFilters(HttpFilter.newBuilder().setName(HTTP_RBAC).setTypedConfig(Any.pack(r)));
      }
      hcm.addHttpFilters(HttpFilter.newBuilder().setName(ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())));
      filters.add(Envoy.filter(HCM, hcm.build()));
    } else {
      filters.add(Envoy.filter(TCP_PROXY, TcpProxy.newBuilder().setStatPrefix(stat).setCluster(clusterName(port.port()))
          .addAllAccessLog(logs.tcp(FlowLogs.INBOUND)).build()));
    }
    Listener.Builder l = Listener.newBuilder()
        .setName("inbound_" + address + "_" + port.port())
        .setAddress(Envoy.address(address, port.port()))
        // every connection the listener closes, for the ones network RBAC denied (see FlowLogs)
        .addAllAccessLog(logs.tcp(FlowLogs.INBOUND_LISTENER));
    switch (mode) {
      case STRICT -> l.addFilterChains(FilterChain.newBuilder().setName("mtls").addAllFilters(filters)
          .setTransportSocket(Envoy.tls(downstreamTls())));
      case PERMISSIVE, UNSET -> l
          .addListenerFilters(ListenerFilter.newBuilder().setName("envoy.filters.listener.tls_inspector")
              .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())))
          .addFilterChains(FilterChain.newBuilder().setName("mtls")
              .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("tls"))
              .addAllFilters(filters).setTransportSocket(Envoy.tls(downstreamTls())))
          .addFilterChains(FilterChain.newBuilder().setName("plaintext")
              .setFilterChainMatch(FilterChainMatch.newBuilder().setTransportProtocol("raw_buffer"))
              .addAllFilters(filters));
      case DISABLE -> l.addFilterChains(FilterChain.newBuilder().setName("plaintext").addAllFilters(filters));
    }
    return l.build();
  }

  /** Istio's inbound mTLS: the workload's certificate, peers must present one the root CA signed. */
  static DownstreamTlsContext downstreamTls() {
    return DownstreamTlsContext.newBuilder()
        .setRequireClientCertificate(BoolValue.of(true))
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .addTlsCertificateSdsSecretConfigs(Envoy.sds(Envoy.SDS_CERT))
            .setValidationContextSdsSecretConfig(Envoy.sds(Envoy.SDS_ROOT)))
        .build();
  }

  /** The local application behind the proxy, a STATIC cluster. */
  static Cluster cluster(Workload w, WorkloadPort port) {
    String name = clusterName(port.port());
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Envoy.duration(java.time.Duration.ofSeconds(10)))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(name)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(
                    io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Envoy.address(w.app().address(), port.port() + w.app().portOffset()))))))
        .build();
  }
}
