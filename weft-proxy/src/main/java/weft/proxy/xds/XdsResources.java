package weft.proxy.xds;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.Map;
import java.util.TreeMap;

/**
 * The last accepted state of the world per xDS type, keyed by resource name. Immutable; an update
 * returns a copy with one type replaced.
 */
public record XdsResources(
    Map<String, Cluster> clusters,
    Map<String, ClusterLoadAssignment> endpoints,
    Map<String, Listener> listeners,
    Map<String, RouteConfiguration> routes,
    Map<String, Secret> secrets) {

  public XdsResources {
    clusters = sorted(clusters);
    endpoints = sorted(endpoints);
    listeners = sorted(listeners);
    routes = sorted(routes);
    secrets = sorted(secrets);
  }

  public static XdsResources empty() {
    return new XdsResources(Map.of(), Map.of(), Map.of(), Map.of(), Map.of());
  }

  XdsResources withClusters(Map<String, Cluster> m) {
    return new XdsResources(m, endpoints, listeners, routes, secrets);
  }

  XdsResources withEndpoints(Map<String, ClusterLoadAssignment> m) {
    return new XdsResources(clusters, m, listeners, routes, secrets);
  }

  XdsResources withListeners(Map<String, Listener> m) {
    return new XdsResources(clusters, endpoints, m, routes, secrets);
  }

  XdsResources withRoutes(Map<String, RouteConfiguration> m) {
    return new XdsResources(clusters, endpoints, listeners, m, secrets);
  }

  XdsResources withSecrets(Map<String, Secret> m) {
    return new XdsResources(clusters, endpoints, listeners, routes, m);
  }

  private static <V> Map<String, V> sorted(Map<String, V> m) {
    // config order is name order: deterministic bootstraps and problem paths
    return java.util.Collections.unmodifiableMap(new TreeMap<>(m));
  }
}
