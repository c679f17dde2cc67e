package weft.controlplane.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
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
import java.util.Set;
import weft.api.DestinationRule;
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
 * (weft issues no certificates to proxyless clients), with a load-balancing policy grpc-java
 * implements.
 */
final class Proxyless {
  private Proxyless() {}

  /** {@code problems}: where DestinationRule settings a proxyless client cannot follow are reported. */
  static ProxySnapshot snapshot(Traffic traffic, Set<String> problems) {
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
    return ProxySnapshot.of(listeners, routes, grpcLbPolicies(traffic, part.clusters(), problems), part.endpoints(), List.of());
  }

  /**
   * grpc-java NACKs a cluster whose {@code lb_policy} it does not implement ("unsupported lb
   * policy: RANDOM"; it has ROUND_ROBIN, LEAST_REQUEST and RING_HASH), and a NACKed cluster leaves
   * its service unreachable. Such clusters get ROUND_ROBIN, as istiod's proxyless generator falls
   * back to it, and the DestinationRule settings that asked otherwise are reported.
   */
  private static List<Cluster> grpcLbPolicies(Traffic traffic, List<Cluster> clusters, Set<String> problems) {
    List<Cluster> out = new ArrayList<>(clusters.size());
    boolean changed = false;
    for (Cluster c : clusters) {
      switch (c.getLbPolicy()) {
        case ROUND_ROBIN, LEAST_REQUEST, RING_HASH -> out.add(c);
        default -> {
          out.add(c.toBuilder().setLbPolicy(Cluster.LbPolicy.ROUND_ROBIN).build());
          changed = true;
        }
      }
    }
    if (changed) {
      for (MeshService s : traffic.registry.services()) {
        traffic.destinationRule(s, "").ifPresent(dr -> reportRandom(dr, problems));
      }
    }
    return out;
  }

  private static void reportRandom(DestinationRule dr, Set<String> problems) {
    String at = "DestinationRule " + dr.metadata().namespace() + "/" + dr.metadata().name() + ": spec.";
    String what = ".loadBalancer.simple: RANDOM is not supported by proxyless gRPC clients (grpc-java rejects the cluster);"
        + " they are given ROUND_ROBIN";
    if (random(dr.trafficPolicy())) {
      problems.add(at + "trafficPolicy" + what);
    }
    for (int i = 0; i < dr.subsets().size(); i++) {
      if (random(dr.subsets().get(i).trafficPolicy())) {
        problems.add(at + "subsets[" + i + "].trafficPolicy" + what);
      }
    }
  }

  /** Whether the policy makes Clusters.build choose RANDOM (a consistent hash wins over simple). */
  private static boolean random(Optional<TrafficPolicy> p) {
    return p.flatMap(TrafficPolicy::loadBalancer)
        .filter(lb -> lb.consistentHash().isEmpty())
        .flatMap(TrafficPolicy.LoadBalancer::simple)
        .map(simple -> simple == TrafficPolicy.SimpleLb.RANDOM)
        .orElse(false);
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
