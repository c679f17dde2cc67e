package weft.proxy.cluster;

import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A cluster's {@code load_assignment}, validated: the endpoints to resolve (STRICT_DNS) or use as
 * they are (STATIC), with locality, priority and weights.
 */
record Endpoints(
    List<Spec> specs,
    Map<HostSnapshot.LocalityKey, Integer> localityWeights,
    int overprovisioningFactor) {

  /**
   * One {@code lb_endpoints} entry.
   *
   * @param address an IP literal (STATIC) or a DNS name (STRICT_DNS)
   * @param healthCheckPort {@code health_check_config.port_value}, 0 = the endpoint's port
   * @param healthCheckHost {@code health_check_config.hostname}: the HTTP check's Host header for
   *     this endpoint, empty = the cluster-level one
   * @param edsUnhealthy {@code health_status} UNHEALTHY, DRAINING or TIMEOUT
   */
  record Spec(
      String address,
      int port,
      int healthCheckPort,
      String healthCheckHost,
      String hostname,
      Locality locality,
      int priority,
      int weight,
      boolean edsUnhealthy) {}

  static Endpoints compile(ClusterLoadAssignment la, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(la, path, problems, "cluster_name", "endpoints", "policy");
    int factor = 140;
    if (la.hasPolicy()) {
      ConfigPath pp = path.field("policy");
      SupportedFields.check(la.getPolicy(), pp, problems, "overprovisioning_factor");
      if (la.getPolicy().hasOverprovisioningFactor()) {
        factor = la.getPolicy().getOverprovisioningFactor().getValue();
        if (factor == 0) {
          problems.add(pp.field("overprovisioning_factor"), "0 (expected: > 0)");
          factor = 140;
        }
      }
    }
    List<Spec> specs = new ArrayList<>();
    Map<HostSnapshot.LocalityKey, Integer> weights = new HashMap<>();
    TreeSet<Integer> priorities = new TreeSet<>();
    for (int i = 0; i < la.getEndpointsCount(); i++) {
      LocalityLbEndpoints lle = la.getEndpoints(i);
      ConfigPath lp = path.field("endpoints").index(i);
      SupportedFields.check(
          lle, lp, problems, "locality", "lb_endpoints", "load_balancing_weight", "priority");
      Locality locality = Locality.NONE;
      if (lle.hasLocality()) {
        SupportedFields.check(
            lle.getLocality(), lp.field("locality"), problems, "region", "zone", "sub_zone");
        locality =
            new Locality(
                lle.getLocality().getRegion(),
                lle.getLocality().getZone(),
                lle.getLocality().getSubZone());
      }
      int priority = lle.getPriority();
      priorities.add(priority);
      if (lle.hasLoadBalancingWeight()) {
        weights.merge(
            new HostSnapshot.LocalityKey(locality, priority),
            lle.getLoadBalancingWeight().getValue(),
            Integer::sum);
      }
      for (int j = 0; j < lle.getLbEndpointsCount(); j++) {
        Spec s =
            endpoint(
                lle.getLbEndpoints(j), lp.field("lb_endpoints").index(j), locality, priority, problems);
        if (s != null) {
          specs.add(s);
        }
      }
    }
    // Envoy: priorities range from 0 to N without skipping
    int expected = 0;
    for (int p : priorities) {
      if (p != expected) {
        problems.add(
            path.field("endpoints"),
            "priorities must be contiguous from 0; found " + p + " without " + expected);
        break;
      }
      expected++;
    }
    return new Endpoints(List.copyOf(specs), Map.copyOf(weights), factor);
  }

  private static Spec endpoint(
      LbEndpoint le, ConfigPath p, Locality locality, int priority, ConfigProblems problems) {
    SupportedFields.check(le, p, problems, "endpoint", "health_status", "load_balancing_weight");
    // Envoy: UNHEALTHY, DRAINING and TIMEOUT mark the host /failed_eds_health; DEGRADED would
    // need degraded priority load, which weft does not implement
    boolean edsUnhealthy =
        switch (le.getHealthStatus()) {
          case UNKNOWN, HEALTHY -> false;
          case UNHEALTHY, DRAINING, TIMEOUT -> true;
          default -> {
            problems.unsupported(p.field("health_status"), le.getHealthStatus());
            yield false;
          }
        };
    int weight = le.hasLoadBalancingWeight() ? le.getLoadBalancingWeight().getValue() : 1;
    if (weight < 1) {
      problems.add(p.field("load_balancing_weight"), weight + " (expected: >= 1)");
      weight = 1;
    }
    if (!le.hasEndpoint()) {
      problems.add(p, "endpoint is required");
      return null;
    }
    Endpoint e = le.getEndpoint();
    ConfigPath ep = p.field("endpoint");
    SupportedFields.check(e, ep, problems, "address", "health_check_config", "hostname");
    int hcPort = 0;
    String hcHost = "";
    if (e.hasHealthCheckConfig()) {
      SupportedFields.check(
          e.getHealthCheckConfig(), ep.field("health_check_config"), problems, "port_value", "hostname");
      hcPort = e.getHealthCheckConfig().getPortValue();
      hcHost = e.getHealthCheckConfig().getHostname();
    }
    SocketAddress sa = socketAddress(e.getAddress(), ep.field("address"), problems);
    if (sa == null) {
      return null;
    }
    return new Spec(
        sa.getAddress(),
        sa.getPortValue(),
        hcPort,
        hcHost,
        e.getHostname(),
        locality,
        priority,
        weight,
        edsUnhealthy);
  }

  private static SocketAddress socketAddress(Address a, ConfigPath p, ConfigProblems problems) {
    SupportedFields.check(a, p, problems, "socket_address");
    if (!a.hasSocketAddress()) {
      problems.add(p, "socket_address is required");
      return null;
    }
    SocketAddress sa = a.getSocketAddress();
    ConfigPath sp = p.field("socket_address");
    SupportedFields.check(sa, sp, problems, "address", "port_value", "protocol");
    if (sa.getProtocol() != SocketAddress.Protocol.TCP) {
      problems.unsupported(sp.field("protocol"), sa.getProtocol());
    }
    if (sa.getAddress().isEmpty()) {
      problems.add(sp.field("address"), "address is required");
      return null;
    }
    if (sa.getPortValue() == 0) {
      problems.add(sp.field("port_value"), "port_value is required");
      return null;
    }
    return sa;
  }
}
