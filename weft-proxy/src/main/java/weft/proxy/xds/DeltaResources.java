package weft.proxy.xds;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Applies one incremental xDS response ({@code DeltaDiscoveryResponse}) to the accepted resources:
 * the resources it carries are added or replaced by name, {@code removed_resources} are dropped,
 * every other resource of the type stays (Envoy's incremental protocol). A malformed entry makes
 * the whole response invalid (it is NACKed with the entry's index).
 */
final class DeltaResources {
  private DeltaResources() {}

  /** The candidate state after {@code r}; its per-resource versions go to {@code versions}. */
  static XdsResources apply(XdsResources res, DeltaDiscoveryResponse r, Map<String, String> versions) {
    return switch (r.getTypeUrl()) {
      case AdsClient.CDS -> res.withClusters(
          merge(res.clusters(), r, Cluster.class, Cluster::getName, versions));
      case AdsClient.EDS -> res.withEndpoints(merge(res.endpoints(), r,
          ClusterLoadAssignment.class, ClusterLoadAssignment::getClusterName, versions));
      case AdsClient.LDS -> res.withListeners(
          merge(res.listeners(), r, Listener.class, Listener::getName, versions));
      case AdsClient.RDS -> res.withRoutes(merge(res.routes(), r, RouteConfiguration.class,
          RouteConfiguration::getName, versions));
      case AdsClient.SDS -> res.withSecrets(
          merge(res.secrets(), r, Secret.class, Secret::getName, versions));
      default -> throw new IllegalArgumentException("type_url: unsupported type " + r.getTypeUrl());
    };
  }

  /** {@code res} without the resources of {@code type} named in {@code names} (unsubscribed). */
  static XdsResources without(XdsResources res, String type, Set<String> names) {
    return switch (type) {
      case AdsClient.EDS -> res.withEndpoints(drop(res.endpoints(), names));
      case AdsClient.RDS -> res.withRoutes(drop(res.routes(), names));
      case AdsClient.SDS -> res.withSecrets(drop(res.secrets(), names));
      case AdsClient.CDS -> res.withClusters(drop(res.clusters(), names));
      case AdsClient.LDS -> res.withListeners(drop(res.listeners(), names));
      default -> res;
    };
  }

  private static <T> Map<String, T> drop(Map<String, T> m, Set<String> names) {
    Map<String, T> out = new LinkedHashMap<>(m);
    out.keySet().removeAll(names);
    return out;
  }

  private static <T extends Message> Map<String, T> merge(Map<String, T> old,
      DeltaDiscoveryResponse r, Class<T> cls, Function<T, String> nameOf,
      Map<String, String> versions) {
    Map<String, T> m = new LinkedHashMap<>(old);
    for (String name : r.getRemovedResourcesList()) {
      m.remove(name);
      versions.remove(name);
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < r.getResourcesCount(); i++) {
      Resource res = r.getResources(i);
      String at = "resources[" + i + "]";
      if (!res.hasResource()) {
        throw new IllegalArgumentException(at + ".resource: missing (expected: the resource)");
      }
      T v;
      try {
        v = res.getResource().unpack(cls);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(at + ".resource: cannot decode "
            + res.getResource().getTypeUrl() + " as " + cls.getSimpleName() + ": " + e.getMessage());
      }
      String name = res.getName().isEmpty() ? nameOf.apply(v) : res.getName();
      if (name.isEmpty()) {
        throw new IllegalArgumentException(at + ".name: must not be empty");
      }
      if (!nameOf.apply(v).equals(name)) {
        throw new IllegalArgumentException(at + ".name: '" + name
            + "' differs from the resource's own name '" + nameOf.apply(v) + "'");
      }
      if (!seen.add(name)) {
        throw new IllegalArgumentException(at + ".name: duplicate name '" + name + "'");
      }
      m.put(name, v);
      versions.put(name, res.getVersion());
    }
    return m;
  }
}
