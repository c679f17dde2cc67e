package weft.proxy.route;

import com.google.re2j.Pattern;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.HeaderMatcher;
import weft.proxy.matcher.QueryParameterMatcher;
import weft.proxy.matcher.StringMatcher;

/**
 * A compiled {@code RouteMatch}. Path rules apply to the path without query and fragment (Envoy's
 * {@code PathMatcher}); {@code case_sensitive} (default true) applies to prefix, path and
 * path_separated_prefix, not to safe_regex; headers and query parameters must all match; {@code
 * grpc} requires a gRPC content type.
 */
final class RouteMatcher {
  enum Kind { PREFIX, PATH, SAFE_REGEX, PATH_SEPARATED_PREFIX }

  private static final HeaderMatcher[] NO_HEADERS = new HeaderMatcher[0];
  private static final QueryParameterMatcher[] NO_QUERY = new QueryParameterMatcher[0];

  private final Kind kind;
  private final String value;
  private final boolean ignoreCase;
  private final Pattern regex;
  private final HeaderMatcher[] headers;
  private final QueryParameterMatcher[] query;
  private final boolean grpc;

  private RouteMatcher(Kind kind, String value, boolean ignoreCase, Pattern regex,
      HeaderMatcher[] headers, QueryParameterMatcher[] query, boolean grpc) {
    this.kind = kind;
    this.value = value;
    this.ignoreCase = ignoreCase;
    this.regex = regex;
    this.headers = headers;
    this.query = query;
    this.grpc = grpc;
  }

  static RouteMatcher compile(RouteMatch m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems,
        "prefix", "path", "safe_regex", "path_separated_prefix", "case_sensitive", "headers",
        "query_parameters", "grpc");
    boolean ignoreCase = m.hasCaseSensitive() && !m.getCaseSensitive().getValue();
    Kind kind;
    String value = "";
    Pattern regex = null;
    switch (m.getPathSpecifierCase()) {
      case PREFIX -> {
        kind = Kind.PREFIX;
        value = m.getPrefix();
      }
      case PATH -> {
        kind = Kind.PATH;
        value = m.getPath();
      }
      case SAFE_REGEX -> {
        kind = Kind.SAFE_REGEX;
        regex = StringMatcher.compileRegex(m.getSafeRegex(), path.field("safe_regex"), problems);
        if (regex == null) {
          return null;
        }
      }
      case PATH_SEPARATED_PREFIX -> {
        kind = Kind.PATH_SEPARATED_PREFIX;
        value = m.getPathSeparatedPrefix();
        // route_components.proto: "^[^?#]+[^?#/]$": no query or fragment, no trailing slash
        if (value.isEmpty() || value.endsWith("/") || value.indexOf('?') >= 0 || value.indexOf('#') >= 0) {
          problems.add(path.field("path_separated_prefix"), "\"" + value
              + "\" is invalid (expected: a non-empty path without ?, # or a trailing /)");
          return null;
        }
      }
      case CONNECT_MATCHER -> {
        problems.unsupported(path.field("connect_matcher"), "connect_matcher");
        return null;
      }
      case PATH_MATCH_POLICY -> {
        problems.unsupported(path.field("path_match_policy"), "path_match_policy");
        return null;
      }
      case PATHSPECIFIER_NOT_SET -> {
        problems.add(path, "one of prefix, path, safe_regex, path_separated_prefix is required");
        return null;
      }
      default -> {
        problems.unsupported(path, "path specifier " + m.getPathSpecifierCase());
        return null;
      }
    }
    if (m.hasGrpc()) {
      SupportedFields.check(m.getGrpc(), path.field("grpc"), problems);
    }
    List<HeaderMatcher> hs = new ArrayList<>();
    for (int i = 0; i < m.getHeadersCount(); i++) {
      HeaderMatcher h = HeaderMatcher.compile(m.getHeaders(i), path.field("headers").index(i), problems);
      if (h != null) {
        hs.add(h);
      }
    }
    List<QueryParameterMatcher> qs = new ArrayList<>();
    for (int i = 0; i < m.getQueryParametersCount(); i++) {
      QueryParameterMatcher q = QueryParameterMatcher.compile(
          m.getQueryParameters(i), path.field("query_parameters").index(i), problems);
      if (q != null) {
        qs.add(q);
      }
    }
    return new RouteMatcher(kind, value, ignoreCase, regex,
        hs.isEmpty() ? NO_HEADERS : hs.toArray(HeaderMatcher[]::new),
        qs.isEmpty() ? NO_QUERY : qs.toArray(QueryParameterMatcher[]::new),
        m.hasGrpc());
  }

  Kind kind() {
    return kind;
  }

  boolean matches(RouteRequest req) {
    String p = req.path();
    if (p == null || !pathMatches(p)) {
      return false;
    }
    if (grpc && !isGrpc(req.header("content-type"))) {
      return false;
    }
    if (!HeaderMatcher.allMatch(headers, req)) {
      return false;
    }
    for (QueryParameterMatcher q : query) {
      if (!q.matches(p)) {
        return false;
      }
    }
    return true;
  }

  private boolean pathMatches(String p) {
    int end = pathEnd(p);
    int n = value.length();
    return switch (kind) {
      case PREFIX -> n <= end && p.regionMatches(ignoreCase, 0, value, 0, n);
      case PATH -> n == end && p.regionMatches(ignoreCase, 0, value, 0, n);
      case PATH_SEPARATED_PREFIX -> n <= end
          && (n == end || p.charAt(n) == '/')
          && p.regionMatches(ignoreCase, 0, value, 0, n);
      case SAFE_REGEX -> regex.matches(end == p.length() ? p : p.substring(0, end));
    };
  }

  /**
   * The length of the request path that this route matched, which {@code prefix_rewrite}
   * replaces: the configured prefix or path, or the whole path (without query) for safe_regex.
   */
  int matchedLength(String p) {
    return kind == Kind.SAFE_REGEX ? pathEnd(p) : value.length();
  }

  /** Index of the first {@code ?} or {@code #}, or the length when there is neither. */
  static int pathEnd(String p) {
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return p.length();
  }

  /** Envoy's hasGrpcContentType: exactly application/grpc or application/grpc+suffix. */
  static boolean isGrpc(String contentType) {
    String g = "application/grpc";
    return contentType != null
        && contentType.startsWith(g)
        && (contentType.length() == g.length() || contentType.charAt(g.length()) == '+');
  }

  @Override
  public String toString() {
    String v = kind == Kind.SAFE_REGEX ? regex.pattern() : value;
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + v + (ignoreCase ? " (ignore case)" : "");
  }
}
