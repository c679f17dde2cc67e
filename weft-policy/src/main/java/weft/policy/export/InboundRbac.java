package weft.policy.export;

import java.util.List;

/**
 * A workload's inbound policy as Envoy RBAC filter configs, in chain order (every filter must let
 * a connection or request through): the network filters of its TCP filter chains, and the network
 * and HTTP filters of its HTTP filter chains.
 */
public record InboundRbac(
    List<io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC> tcpNetwork,
    List<io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC> httpNetwork,
    List<io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC> http) {
  public InboundRbac {
    tcpNetwork = List.copyOf(tcpNetwork);
    httpNetwork = List.copyOf(httpNetwork);
    http = List.copyOf(http);
  }
}
