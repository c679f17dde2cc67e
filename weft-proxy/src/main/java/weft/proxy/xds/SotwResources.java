package weft.proxy.xds;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies one state-of-the-world response to the accepted resources: CDS and LDS (wildcard)
 * replace their type; EDS, RDS and SDS update the names they carry and drop the names no longer
 * subscribed. A malformed entry makes the whole response invalid (NACKed with its index).
 */
final class SotwResources {
  private SotwResources() {}

  static XdsResources apply(XdsResources resources, String type, Set<String> names,
      List<Any> list) {
    switch (type) {
      case AdsClient.CDS -> {
        return resources.withClusters(decode(list, Cluster.class, Cluster::getName));
      }
      case AdsClient.LDS -> {
        return resources.withListeners(decode(list, Listener.class, Listener::getName));
      }
      case AdsClient.EDS -> {
        return resources.withEndpoints(overlay(resources.endpoints(), names,
            decode(list, ClusterLoadAssignment.class, ClusterLoadAssignment::getClusterName)));
      }
      case AdsClient.RDS -> {
        return resources.withRoutes(overlay(resources.routes(), names,
            decode(list, RouteConfiguration.class, RouteConfiguration::getName)));
      }
      case AdsClient.SDS -> {
        return resources.withSecrets(overlay(resources.secrets(), names,
            decode(list, Secret.class, Secret::getName)));
      }
      default -> throw new IllegalArgumentException("unsupported type " + type);
    }
  }

  /** Non-wildcard types: a response updates the names it carries; unsubscribed names drop. */
  private static <T> Map<String, T> overlay(Map<String, T> old, Set<String> subscribed,
      Map<String, T> update) {
    Map<String, T> m = new LinkedHashMap<>();
    old.forEach((k, v) -> {
      if (subscribed.contains(k)) {
        m.put(k, v);
      }
    });
    m.putAll(update);
    return m;
  }

  private static <T extends Message> Map<String, T> decode(List<Any> list, Class<T> cls,
      java.util.function.Function<T, String> name) {
    Map<String, T> m = new LinkedHashMap<>();
    for (int i = 0; i < list.size(); i++) {
      T v;
      try {
        v = list.get(i).unpack(cls);
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException("resources[" + i + "]: cannot decode "
            + list.get(i).getTypeUrl() + " as " + cls.getSimpleName() + ": " + e.getMessage());
      }
      String n = name.apply(v);
      if (n.isEmpty()) {
        throw new IllegalArgumentException("resources[" + i + "]: name must not be empty");
      }
      if (m.put(n, v) != null) {
        throw new IllegalArgumentException("resources[" + i + "]: duplicate name '" + n + "'");
      }
    }
    return m;
  }

}
