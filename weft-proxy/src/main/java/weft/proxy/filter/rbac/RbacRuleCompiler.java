package weft.proxy.filter.rbac;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.HeaderMatcher;
import weft.proxy.matcher.PathMatcher;
import weft.proxy.matcher.StringMatcher;

/**
 * Translates rbac.proto Permission and Principal trees into {@link RbacRule}s. A rule that cannot
 * be compiled is a problem; the engine then is not built at all, so an invalid policy never
 * becomes allow-all (or deny-all) silently.
 */
final class RbacRuleCompiler {
  private static final RbacRule ANY = new RbacRule.Any();

  private RbacRuleCompiler() {}

  static RbacRule permission(Permission p, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(p, path, problems,
        "and_rules", "or_rules", "any", "header", "url_path", "destination_ip", "destination_port",
        "destination_port_range", "not_rule", "requested_server_name");
    return switch (p.getRuleCase()) {
      case AND_RULES -> permissions(p.getAndRules().getRulesList(), true, path.field("and_rules"), problems);
      case OR_RULES -> permissions(p.getOrRules().getRulesList(), false, path.field("or_rules"), problems);
      case ANY -> ANY;
      case HEADER -> header(HeaderMatcher.compile(p.getHeader(), path.field("header"), problems));
      case URL_PATH -> urlPath(PathMatcher.compile(p.getUrlPath(), path.field("url_path"), problems));
      case DESTINATION_IP -> ip(RbacRule.AddressKind.DESTINATION,
          CidrMatcher.compile(p.getDestinationIp(), path.field("destination_ip"), problems));
      case DESTINATION_PORT -> {
        int port = p.getDestinationPort();
        if (port > 65535) {
          problems.add(path.field("destination_port"), port + " is not a port (expected: <= 65535)");
          yield null;
        }
        yield new RbacRule.DestinationPort(port, port + 1);
      }
      case DESTINATION_PORT_RANGE -> {
        var r = p.getDestinationPortRange();
        SupportedFields.check(r, path.field("destination_port_range"), problems, "start", "end");
        if (r.getStart() < 0 || r.getEnd() > 65536 || r.getEnd() <= r.getStart()) {
          problems.add(path.field("destination_port_range"), "[" + r.getStart() + ", " + r.getEnd()
              + ") is not a port range (expected: 0 <= start < end <= 65536)");
          yield null;
        }
        yield new RbacRule.DestinationPort(r.getStart(), r.getEnd());
      }
      case NOT_RULE -> {
        RbacRule inner = permission(p.getNotRule(), path.field("not_rule"), problems);
        yield inner == null ? null : new RbacRule.Not(inner);
      }
      case REQUESTED_SERVER_NAME -> {
        StringMatcher m = StringMatcher.compile(p.getRequestedServerName(), path.field("requested_server_name"), problems);
        yield m == null ? null : new RbacRule.ServerName(m);
      }
      case METADATA, MATCHER, URI_TEMPLATE, SOURCED_METADATA -> {
        problems.unsupported(path.field(p.getRuleCase().name().toLowerCase(Locale.ROOT)),
            "permission rule " + p.getRuleCase().name().toLowerCase(Locale.ROOT));
        yield null;
      }
      case RULE_NOT_SET -> {
        problems.add(path, "a permission rule is required");
        yield null;
      }
    };
  }

  @SuppressWarnings("deprecation") // source_ip is deprecated but still Envoy config
  static RbacRule principal(Principal p, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(p, path, problems,
        "and_ids", "or_ids", "any", "authenticated", "source_ip", "direct_remote_ip", "remote_ip",
        "header", "url_path", "not_id");
    return switch (p.getIdentifierCase()) {
      case AND_IDS -> principals(p.getAndIds().getIdsList(), true, path.field("and_ids"), problems);
      case OR_IDS -> principals(p.getOrIds().getIdsList(), false, path.field("or_ids"), problems);
      case ANY -> ANY;
      case AUTHENTICATED -> {
        var a = p.getAuthenticated();
        ConfigPath ap = path.field("authenticated");
        SupportedFields.check(a, ap, problems, "principal_name");
        if (!a.hasPrincipalName()) {
          yield new RbacRule.Authenticated(null);
        }
        StringMatcher m = StringMatcher.compile(a.getPrincipalName(), ap.field("principal_name"), problems);
        yield m == null ? null : new RbacRule.Authenticated(m);
      }
      case SOURCE_IP -> ip(RbacRule.AddressKind.SOURCE,
          CidrMatcher.compile(p.getSourceIp(), path.field("source_ip"), problems));
      case DIRECT_REMOTE_IP -> ip(RbacRule.AddressKind.DIRECT_REMOTE,
          CidrMatcher.compile(p.getDirectRemoteIp(), path.field("direct_remote_ip"), problems));
      case REMOTE_IP -> ip(RbacRule.AddressKind.REMOTE,
          CidrMatcher.compile(p.getRemoteIp(), path.field("remote_ip"), problems));
      case HEADER -> header(HeaderMatcher.compile(p.getHeader(), path.field("header"), problems));
      case URL_PATH -> urlPath(PathMatcher.compile(p.getUrlPath(), path.field("url_path"), problems));
      case NOT_ID -> {
        RbacRule inner = principal(p.getNotId(), path.field("not_id"), problems);
        yield inner == null ? null : new RbacRule.Not(inner);
      }
      case METADATA, FILTER_STATE, SOURCED_METADATA, CUSTOM -> {
        problems.unsupported(path.field(p.getIdentifierCase().name().toLowerCase(Locale.ROOT)),
            "principal " + p.getIdentifierCase().name().toLowerCase(Locale.ROOT));
        yield null;
      }
      case IDENTIFIER_NOT_SET -> {
        problems.add(path, "a principal identifier is required");
        yield null;
      }
    };
  }

  /** Any-of (or all-of) a list of permissions; null when any of them failed to compile. */
  static RbacRule permissions(List<Permission> list, boolean all, ConfigPath path, ConfigProblems problems) {
    List<RbacRule> rules = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      RbacRule r = permission(list.get(i), path.index(i), problems);
      ok &= r != null;
      rules.add(r);
    }
    return ok ? combine(rules, all) : null;
  }

  static RbacRule principals(List<Principal> list, boolean all, ConfigPath path, ConfigProblems problems) {
    List<RbacRule> rules = new ArrayList<>();
    boolean ok = true;
    for (int i = 0; i < list.size(); i++) {
      RbacRule r = principal(list.get(i), path.index(i), problems);
      ok &= r != null;
      rules.add(r);
    }
    return ok ? combine(rules, all) : null;
  }

  private static RbacRule combine(List<RbacRule> rules, boolean all) {
    if (rules.size() == 1) {
      return rules.get(0);
    }
    RbacRule[] a = rules.toArray(RbacRule[]::new);
    // an empty and_rules matches everything, an empty or_rules nothing (as Envoy's And/OrMatcher)
    return all ? new RbacRule.And(a) : new RbacRule.Or(a);
  }

  private static RbacRule header(HeaderMatcher m) {
    return m == null ? null : new RbacRule.Header(m);
  }

  private static RbacRule urlPath(PathMatcher m) {
    return m == null ? null : new RbacRule.UrlPath(m);
  }

  private static RbacRule ip(RbacRule.AddressKind kind, CidrMatcher c) {
    return c == null ? null : new RbacRule.Ip(kind, c);
  }
}
