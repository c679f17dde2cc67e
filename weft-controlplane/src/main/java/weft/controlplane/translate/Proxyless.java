package weft.controlplane.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.ApiListener;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.inventory.Locality;
import weft.api.inventory.ServicePort;
import weft.api.traffic.TrafficPolicy;
import weft.controlplane.registry.MeshService;
import weft.controlplane.xds.ProxySnapshot;

/**
 * The snapshot for proxyless gRPC clients (grpc-xds, any node id that is not a workload): per
 * HTTP service port API listeners named {@code <fqdn>:<port>} and {@code <svc>.<ns>:<port>} (and
 * without the port for the service's default port; the bare {@code <svc>} names too when no other
 * namespace has a service of that name), each an HCM with RDS route {@code <fqdn>:<port>} and the
 * router filter only (so VirtualService faults do not apply to them); EDS clusters without TLS
 * (weft issues no certificates to proxyless clients).
 */
final class Proxyless {
  private Proxyless() {}

  static ProxySnapshot snapshot(Traffic traffic) {
    // no client namespace: short names resolve nowhere, DestinationRules from the service's namespace
    Traffic.OutboundPart part = traffic.build("", new Locality("", ""), false);
    Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes = part.hashes();
    Map<String, Integer> nameCount = new HashMap<>();
    traffic.registry.services().forEach(s -> nameCount.merge(s.name(), 1, Integer::sum));
    List<Listener> listeners = new ArrayList<>();
    List<RouteConfiguration> routes = new ArrayList<>();
    for (MeshService s : traffic.registry.services()) {
      Optional<Integer> defaultPort = Traffic.defaultPort(s);
      for (ServicePort p : s.ports()) {
        if (!Protocols.isHttp(p.appProtocol(), p.name())) {
          continue;
        }
        String routeName = s.fqdn() + ":" + p.port();
        routes.add(RouteConfiguration.newBuilder().setName(routeName)
            .addVirtualHosts(Outbound.vhost(routeName, List.of("*"),
                traffic.routes(s, p, traffic.virtualService(s.fqdn()), s.namespace(), hashes)))
            .build());
        List<String> names = new ArrayList<>(List.of(s.fqdn(), s.name() + "." + s.namespace()));
        if (nameCount.get(s.name()) == 1) {
          names.add(s.name());
        }
        for (String n : names) {
          listeners.add(apiListener(n + ":" + p.port(), routeName));
          if (defaultPort.equals(Optional.of(p.port()))) {
            listeners.add(apiListener(n, routeName));
          }
        }
      }
    }
    return ProxySnapshot.of(listeners, routes, part.clusters(), part.endpoints(), List.of());
  }

  private static Listener apiListener(String name, String routeName) {
    HttpConnectionManager hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix(name)
        .setRds(Rds.newBuilder().setConfigSource(Envoy.ads()).setRouteConfigName(routeName))
        .addHttpFilters(HttpFilter.newBuilder().setName(Inbound.ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())))
        .build();
    return Listener.newBuilder().setName(name)
        .setApiListener(ApiListener.newBuilder().setApiListener(Any.pack(hcm))).build();
  }
}
