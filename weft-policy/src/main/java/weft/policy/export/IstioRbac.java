package weft.policy.export;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.policy.engine.IstioPolicy;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Cidr;
import weft.policy.model.Clause;
import weft.policy.model.IstioString;
import weft.policy.model.MtlsPolicy;

/**
 * Exports the Istio policies of a workload the way istiod builds RBAC: sources and source-side
 * conditions become principals, operations and request-side conditions permissions. For TCP filter
 * chains, HTTP-only clauses drop an ALLOW rule and are ignored in a DENY rule.
 */
final class IstioRbac {
  private IstioRbac() {}

  /** STRICT PeerAuthentication as a DENY of unauthenticated connections on the strict ports. */
  static Optional<RBAC> strict(IstioPolicy p) {
    List<Permission> others = new ArrayList<>();
    List<Permission> strictPorts = new ArrayList<>();
    for (Map.Entry<Integer, MtlsPolicy.Mode> e : p.portModes().entrySet()) {
      if (e.getValue() == MtlsPolicy.Mode.UNSET) continue;
      (e.getValue() == MtlsPolicy.Mode.STRICT ? strictPorts : others).add(Rbac.ports(e.getKey(), e.getKey()));
    }
    Permission perm;
    if (p.mode() == MtlsPolicy.Mode.STRICT) {
      perm = others.isEmpty() ? Rbac.ANY_PERMISSION : Rbac.not(Rbac.or(others, true));
    } else if (!strictPorts.isEmpty()) {
      perm = Rbac.or(strictPorts, true);
    } else {
      return Optional.empty();
    }
    Policy pol = Policy.newBuilder().addPermissions(perm).addPrincipals(Rbac.not(Rbac.authenticated())).build();
    return Optional.of(RBAC.newBuilder().setAction(RBAC.Action.DENY).putPolicies("peer-authentication STRICT", pol).build());
  }

  /** The DENY then ALLOW filters; {@code http}: for an HTTP filter chain. */
  static List<RBAC> authz(IstioPolicy p, boolean http) {
    List<RBAC> out = new ArrayList<>();
    if (!p.denies().isEmpty()) out.add(build(RBAC.Action.DENY, p.denies(), http));
    if (!p.allows().isEmpty()) out.add(build(RBAC.Action.ALLOW, p.allows(), http));
    return out;
  }

  private static RBAC build(RBAC.Action action, List<AuthzPolicy> policies, boolean http) {
    RBAC.Builder b = RBAC.newBuilder().setAction(action);
    boolean deny = action == RBAC.Action.DENY;
    // policies is a map: a name used twice would silently drop a rule (for DENY, fail open), so
    // every name starts with its position, as LabelRbac's do
    int i = 0;
    for (AuthzPolicy ap : policies) {
      for (AuthzPolicy.AuthzRule r : ap.rules()) {
        if (!http && !deny && usesHttp(r)) continue; // never matches a TCP connection
        List<Principal> principals = new ArrayList<>();
        List<Permission> permissions = new ArrayList<>();
        if (!r.from().isEmpty()) {
          List<Principal> sources = new ArrayList<>();
          for (List<Clause> s : r.from()) sources.add(Rbac.and(principals(s, http)));
          principals.add(Rbac.or(sources));
        }
        if (!r.to().isEmpty()) {
          List<Permission> ops = new ArrayList<>();
          for (List<Clause> o : r.to()) ops.add(Rbac.andRules(permissions(o, http)));
          permissions.add(Rbac.or(ops, true));
        }
        principals.addAll(principals(r.when(), http));
        permissions.addAll(permissions(r.when(), http));
        b.putPolicies(i++ + " " + ap.ref().rule(r.path()), Policy.newBuilder()
            .addPermissions(Rbac.andRules(permissions)).addPrincipals(Rbac.and(principals)).build());
      }
    }
    return b.build();
  }

  private static boolean usesHttp(AuthzPolicy.AuthzRule r) {
    for (List<Clause> s : r.from()) if (s.stream().anyMatch(c -> c.attribute().httpOnly())) return true;
    for (List<Clause> o : r.to()) if (o.stream().anyMatch(c -> c.attribute().httpOnly())) return true;
    return r.when().stream().anyMatch(c -> c.attribute().httpOnly());
  }

  private static boolean principalSide(Clause.Attribute a) {
    return switch (a) {
      case PRINCIPAL, NAMESPACE, SOURCE_IP, REMOTE_IP, REQUEST_PRINCIPAL, CLAIM -> true;
      case DESTINATION_IP, PORT, SNI, HOST, METHOD, PATH, HEADER -> false;
    };
  }

  private static List<Principal> principals(List<Clause> clauses, boolean http) {
    List<Principal> out = new ArrayList<>();
    for (Clause c : clauses) {
      if (!principalSide(c.attribute()) || (!http && c.attribute().httpOnly())) continue;
      Principal p = principal(c);
      out.add(c.negated() ? Rbac.not(p) : p);
    }
    return out;
  }

  private static List<Permission> permissions(List<Clause> clauses, boolean http) {
    List<Permission> out = new ArrayList<>();
    for (Clause c : clauses) {
      if (principalSide(c.attribute()) || (!http && c.attribute().httpOnly())) continue;
      Permission p = permission(c);
      out.add(c.negated() ? Rbac.not(p) : p);
    }
    return out;
  }

  private static Principal principal(Clause c) {
    List<Principal> or = new ArrayList<>();
    switch (c.values()) {
      case Clause.Values.Strings s -> {
        for (IstioString v : s.values()) {
          switch (c.attribute()) {
            case PRINCIPAL -> or.add(Rbac.authenticated(Rbac.istio(v, "spiffe://")));
            case NAMESPACE -> or.add(Rbac.authenticated(Rbac.regex("spiffe://[^/]*/ns/" + namespaceRegex(v) + "(/.*)?")));
            // weft flows carry no JWT: request principals and claims are never present
            default -> {}
          }
        }
      }
      case Clause.Values.Cidrs cs -> {
        for (Cidr x : cs.values()) or.add(c.attribute() == Clause.Attribute.REMOTE_IP ? Rbac.remoteIp(x) : Rbac.directIp(x));
      }
      case Clause.Values.Ports ps -> {}
    }
    return Rbac.or(or);
  }

  private static String namespaceRegex(IstioString v) {
    String t = Rbac.quote(v.text());
    return switch (v.kind()) {
      case EXACT -> t;
      case PREFIX -> t + "[^/]*";
      case SUFFIX -> "[^/]*" + t;
      case PRESENCE -> "[^/]+";
    };
  }

  private static Permission permission(Clause c) {
    List<Permission> or = new ArrayList<>();
    switch (c.values()) {
      case Clause.Values.Strings s -> {
        for (IstioString v : s.values()) {
          switch (c.attribute()) {
            case HOST -> or.add(Rbac.header(":authority", Rbac.istio(v, "")));
            case METHOD -> or.add(Rbac.header(":method", Rbac.istio(v, "")));
            case PATH -> or.add(Rbac.urlPath(Rbac.istio(v, "")));
            case HEADER -> or.add(Rbac.header(c.key(), Rbac.istio(v, "")));
            case SNI -> or.add(Permission.newBuilder().setRequestedServerName(Rbac.istio(v, "")).build());
            default -> {}
          }
        }
      }
      case Clause.Values.Cidrs cs -> {
        for (Cidr x : cs.values()) or.add(Rbac.destinationIp(x));
      }
      case Clause.Values.Ports ps -> {
        for (int p : ps.values().stream().sorted().toList()) or.add(Rbac.ports(p, p));
      }
    }
    return Rbac.or(or, true);
  }
}
