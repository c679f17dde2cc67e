package weft.proxy.route;

import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A route's {@code hash_policy} list, for ring-hash and maglev load balancing. As Envoy's
 * HashPolicyImpl: each policy that yields a value is mixed in as {@code rotl(hash, 1) ^ value};
 * a {@code terminal} policy that has produced a hash stops the evaluation; no value at all means
 * "no hash" (the load balancer then picks randomly). Values are hashed with 64-bit FNV-1a, not
 * Envoy's xxHash64, so hashes (not the behaviour) differ from Envoy's.
 */
public final class HashPolicy {
  public static final HashPolicy NONE = new HashPolicy(new Rule[0]);

  sealed interface Source {}

  record Header(String name) implements Source {}

  record Cookie(String name) implements Source {}

  record SourceIp() implements Source {}

  record QueryParameter(String name) implements Source {}

  record Rule(Source source, boolean terminal) {}

  private final Rule[] rules;

  private HashPolicy(Rule[] rules) {
    this.rules = rules;
  }

  public boolean isEmpty() {
    return rules.length == 0;
  }

  static HashPolicy compile(List<RouteAction.HashPolicy> list, ConfigPath path, ConfigProblems problems) {
    if (list.isEmpty()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      RouteAction.HashPolicy h = list.get(i);
      ConfigPath p = path.index(i);
      SupportedFields.check(h, p, problems,
          "header", "cookie", "connection_properties", "query_parameter", "terminal");
      Source s = switch (h.getPolicySpecifierCase()) {
        case HEADER -> {
          SupportedFields.check(h.getHeader(), p.field("header"), problems, "header_name");
          if (h.getHeader().getHeaderName().isEmpty()) {
            problems.add(p.field("header").field("header_name"), "must not be empty");
            yield null;
          }
          yield new Header(h.getHeader().getHeaderName().toLowerCase(Locale.ROOT));
        }
        case COOKIE -> {
          // ttl/path make Envoy generate the cookie when it is missing: that is the router's
          // business and is not implemented, so it is refused rather than silently skipped
          SupportedFields.check(h.getCookie(), p.field("cookie"), problems, "name");
          if (h.getCookie().getName().isEmpty()) {
            problems.add(p.field("cookie").field("name"), "must not be empty");
            yield null;
          }
          yield new Cookie(h.getCookie().getName());
        }
        case CONNECTION_PROPERTIES -> {
          SupportedFields.check(h.getConnectionProperties(), p.field("connection_properties"),
              problems, "source_ip");
          if (!h.getConnectionProperties().getSourceIp()) {
            yield null; // Envoy: source_ip false yields no hash; keep the rule out
          }
          yield new SourceIp();
        }
        case QUERY_PARAMETER -> {
          SupportedFields.check(h.getQueryParameter(), p.field("query_parameter"), problems, "name");
          yield new QueryParameter(h.getQueryParameter().getName());
        }
        case FILTER_STATE -> {
          problems.unsupported(p.field("filter_state"), "filter_state hash policy");
          yield null;
        }
        case POLICYSPECIFIER_NOT_SET -> {
          problems.add(p, "one of header, cookie, connection_properties, query_parameter is required");
          yield null;
        }
      };
      if (s != null) {
        rules.add(new Rule(s, h.getTerminal()));
      }
    }
    return rules.isEmpty() ? NONE : new HashPolicy(rules.toArray(Rule[]::new));
  }

  /** The request's hash, or empty when no policy produced a value. */
  public OptionalLong hash(RouteRequest req) {
    boolean have = false;
    long hash = 0;
    for (Rule r : rules) {
      String v = switch (r.source()) {
        case Header h -> req.header(h.name());
        case Cookie c -> cookie(req.header("cookie"), c.name());
        case SourceIp s -> sourceIp(req.downstreamAddress());
        case QueryParameter q -> weft.proxy.matcher.QueryParameterMatcher.firstValue(req.path(), q.name());
      };
      if (v != null) {
        long nv = fnv1a(v);
        hash = have ? Long.rotateLeft(hash, 1) ^ nv : nv;
        have = true;
      }
      if (r.terminal() && have) {
        break;
      }
    }
    return have ? OptionalLong.of(hash) : OptionalLong.empty();
  }

  private static String sourceIp(InetSocketAddress a) {
    if (a == null) {
      return null;
    }
    InetAddress ip = a.getAddress();
    return ip == null ? null : ip.getHostAddress();
  }

  /** The value of cookie {@code name} in a Cookie header ({@code a=1; b=2}), unquoted. */
  static String cookie(String header, String name) {
    if (header == null) {
      return null;
    }
    int i = 0;
    int n = header.length();
    while (i < n) {
      while (i < n && (header.charAt(i) == ' ' || header.charAt(i) == ';' || header.charAt(i) == ',')) {
        i++;
      }
      int end = i;
      while (end < n && header.charAt(end) != ';' && header.charAt(end) != ',') {
        end++;
      }
      int eq = header.indexOf('=', i);
      if (eq > i && eq < end && eq - i == name.length() && header.regionMatches(i, name, 0, name.length())) {
        String v = header.substring(eq + 1, end).strip();
        if (v.length() >= 2 && v.charAt(0) == '"' && v.charAt(v.length() - 1) == '"') {
          v = v.substring(1, v.length() - 1);
        }
        return v;
      }
      i = end + 1;
    }
    return null;
  }

  static long fnv1a(String s) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      h ^= c & 0xff;
      h *= 0x100000001b3L;
      h ^= c >>> 8;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
