package weft.api.cilium;

import java.util.List;
import java.util.Set;

/**
 * One {@code ingress[]}, {@code ingressDeny[]}, {@code egress[]} or {@code egressDeny[]} rule, with
 * the {@code from*} (ingress) or {@code to*} (egress) fields. Cilium semantics: the peer must match
 * one of {@code endpoints}, {@code cidrs} or {@code entities} and also every selector in {@code
 * requires}; and the port must match one of {@code toPorts} (empty: every port). A rule that names
 * no L3 peer but has {@code toPorts} applies to every peer ("Layer 4 Examples"); a rule with
 * neither ({@code - {}}) matches nothing and only puts the endpoint into default deny ("Ingress
 * Default Deny"). Decoding guarantees at most one of endpoints, CIDRs and entities is used
 * (Cilium's sanitize).
 *
 * @param endpoints fromEndpoints / toEndpoints (namespace-scoped, see {@link EndpointSelector})
 * @param requires fromRequires / toRequires
 * @param cidrs fromCIDR + fromCIDRSet / toCIDR + toCIDRSet, in that order (plain CIDRs without except)
 * @param entities fromEntities / toEntities
 * @param toPorts port rules, with optional L7 rules for allow rules
 */
public record PeerRule(
    List<EndpointSelector> endpoints,
    List<EndpointSelector> requires,
    List<CidrRule> cidrs,
    Set<Entity> entities,
    List<PortRule> toPorts) {
  public PeerRule {
    endpoints = List.copyOf(endpoints);
    requires = List.copyOf(requires);
    cidrs = List.copyOf(cidrs);
    entities = Set.copyOf(entities);
    toPorts = List.copyOf(toPorts);
  }

  /** True when the rule names no L3 peer (see the class comment for what that means). */
  public boolean l3Wildcard() {
    return endpoints.isEmpty() && cidrs.isEmpty() && entities.isEmpty();
  }
}
