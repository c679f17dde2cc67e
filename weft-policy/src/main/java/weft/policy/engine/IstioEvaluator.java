package weft.policy.engine;

import java.util.List;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.AuthzPolicy.AuthzRule;
import weft.policy.model.Cidr;
import weft.policy.model.Clause;
import weft.policy.model.IpAddress;
import weft.policy.model.IstioString;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.Protocol;

/**
 * Istio's authorization at the destination's sidecar: PeerAuthentication first, then DENY
 * policies, then ALLOW policies ("Authorization policy precedence").
 */
final class IstioEvaluator {
  private IstioEvaluator() {}

  /** What the sidecar knows of a request. {@code principal} is null without mTLS. */
  record Request(
      Flow flow,
      boolean mtls,
      String principal,
      String sourceNamespace,
      IpAddress sourceIp,
      IpAddress remoteIp,
      IpAddress destinationIp) {}

  static Decision decide(IstioPolicy p, Party destination, Request r, boolean explain) {
    Flow flow = r.flow();
    if (!p.selected()) {
      return explain ? Decision.notSelected("no policy selects " + destination.describe() + ": default allow") : Decision.NOT_SELECTED;
    }
    if (flow.protocol() != Protocol.TCP) {
      return explain
          ? Decision.notSelected("the sidecar of " + destination.describe() + " does not intercept " + flow.protocol() + ": not enforced")
          : Decision.NOT_SELECTED;
    }
    MtlsPolicy.Mode mode = p.portModes().isEmpty() ? MtlsPolicy.Mode.UNSET : p.portModes().getOrDefault(flow.port(), MtlsPolicy.Mode.UNSET);
    boolean portLevel = mode != MtlsPolicy.Mode.UNSET;
    if (!portLevel) mode = p.mode();
    if (mode == MtlsPolicy.Mode.STRICT && !r.mtls()) {
      if (!explain) return Decision.DENY_DROP;
      String modeFrom = portLevel ? p.portModesFrom().rule("spec.portLevelMtls[" + flow.port() + "]")
          : p.modeFrom() == null ? "" : p.modeFrom().toString();
      return Decision.deny(DenyMode.DROP, modeFrom,
          "plaintext refused: " + destination.describe() + " requires mTLS (STRICT) on port " + flow.port());
    }
    // DISABLE: the sidecar does not terminate mTLS, so there is no peer identity to authorize
    Request seen = mode == MtlsPolicy.Mode.DISABLE ? new Request(flow, false, null, null, r.sourceIp(), r.remoteIp(), r.destinationIp()) : r;
    boolean http = flow.http().isPresent();
    DenyMode denyMode = http ? DenyMode.HTTP_403 : DenyMode.DROP;
    for (AuthzPolicy d : p.denies()) {
      for (AuthzRule rule : d.rules()) {
        if (matches(rule, seen, true)) {
          return explain
              ? Decision.deny(denyMode, d.ref().rule(rule.path()), "DENY policy matches the request; DENY is evaluated before ALLOW")
              : Decision.quietDeny(denyMode);
        }
      }
    }
    if (p.allows().isEmpty()) {
      return explain ? Decision.allow("", "no DENY matches and no ALLOW policy applies to " + destination.describe() + ": allow") : Decision.ALLOW;
    }
    for (AuthzPolicy a : p.allows()) {
      for (AuthzRule rule : a.rules()) {
        if (matches(rule, seen, false)) {
          return explain ? Decision.allow(a.ref().rule(rule.path()), "ALLOW policy matches the request") : Decision.ALLOW;
        }
      }
    }
    if (!explain) return Decision.quietDeny(denyMode);
    StringBuilder names = new StringBuilder();
    for (AuthzPolicy a : p.allows()) names.append(names.isEmpty() ? "" : ", ").append(a.ref());
    return Decision.deny(denyMode, p.allows().get(0).ref().toString(),
        "ALLOW policies apply to " + destination.describe() + " (" + names + ") and none matches" + (http ? "" : " this TCP connection"));
  }

  /**
   * On a TCP flow, HTTP-only clauses make an ALLOW rule never match, and are ignored in a DENY rule
   * (Istio fails closed both ways).
   */
  static boolean matches(AuthzRule rule, Request r, boolean deny) {
    boolean tcp = r.flow().http().isEmpty();
    if (!anyOf(rule.from(), r, deny, tcp)) return false;
    if (!anyOf(rule.to(), r, deny, tcp)) return false;
    return allOf(rule.when(), r, deny, tcp);
  }

  private static boolean anyOf(List<List<Clause>> alternatives, Request r, boolean deny, boolean tcp) {
    if (alternatives.isEmpty()) return true;
    for (List<Clause> a : alternatives) {
      if (allOf(a, r, deny, tcp)) return true;
    }
    return false;
  }

  private static boolean allOf(List<Clause> clauses, Request r, boolean deny, boolean tcp) {
    for (Clause c : clauses) {
      if (tcp && c.attribute().httpOnly()) {
        if (deny) continue;
        return false;
      }
      if (matches(c, r) == c.negated()) return false;
    }
    return true;
  }

  /** Whether some value matches (before negation); an absent attribute matches nothing. */
  static boolean matches(Clause c, Request r) {
    Flow f = r.flow();
    return switch (c.values()) {
      case Clause.Values.Strings s -> {
        String v = stringOf(c, r);
        if (v == null) yield false;
        for (IstioString m : s.values()) {
          if (m.matches(v)) yield true;
        }
        yield false;
      }
      case Clause.Values.Cidrs cs -> {
        IpAddress ip = switch (c.attribute()) {
          case SOURCE_IP -> r.sourceIp();
          case REMOTE_IP -> r.remoteIp();
          case DESTINATION_IP -> r.destinationIp();
          default -> null;
        };
        if (ip == null) yield false;
        for (Cidr cidr : cs.values()) {
          if (cidr.contains(ip)) yield true;
        }
        yield false;
      }
      case Clause.Values.Ports ps -> c.attribute() == Clause.Attribute.PORT && ps.values().contains(f.port());
    };
  }

  private static String stringOf(Clause c, Request r) {
    var http = r.flow().http();
    return switch (c.attribute()) {
      case PRINCIPAL -> r.principal();
      case NAMESPACE -> r.sourceNamespace();
      case HOST -> http.map(h -> h.host()).orElse(null);
      case METHOD -> http.map(h -> h.method()).orElse(null);
      case PATH -> http.map(h -> h.pathWithoutQuery()).orElse(null);
      case HEADER -> http.flatMap(h -> h.header(c.key())).orElse(null);
      case PORT -> Integer.toString(r.flow().port());
      // no JWTs, SNI or string-typed IPs in weft flows: absent
      case REQUEST_PRINCIPAL, CLAIM, SNI, SOURCE_IP, REMOTE_IP, DESTINATION_IP -> null;
    };
  }
}
