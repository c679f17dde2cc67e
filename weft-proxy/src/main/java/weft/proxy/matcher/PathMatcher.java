package weft.proxy.matcher;

import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.type.matcher.v3.PathMatcher}: a string matcher applied to the path
 * without its query and fragment (path.proto: "the path ... without the query and fragment
 * string"). Used by RBAC's {@code url_path}.
 */
public final class PathMatcher {
  private final StringMatcher matcher;

  private PathMatcher(StringMatcher matcher) {
    this.matcher = matcher;
  }

  /** Compiles the proto; returns null after recording a problem when it cannot be used. */
  public static PathMatcher compile(
      io.envoyproxy.envoy.type.matcher.v3.PathMatcher m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems, "path");
    return switch (m.getRuleCase()) {
      case PATH -> {
        StringMatcher sm = StringMatcher.compile(m.getPath(), path.field("path"), problems);
        yield sm == null ? null : new PathMatcher(sm);
      }
      case RULE_NOT_SET -> {
        problems.add(path, "path is required");
        yield null;
      }
    };
  }

  /** Whether {@code pathWithQuery} (a raw {@code :path}) matches; null never matches. */
  public boolean matches(String pathWithQuery) {
    if (pathWithQuery == null) {
      return false;
    }
    return matcher.matches(pathOnly(pathWithQuery));
  }

  /** {@code path} without {@code ?query} and {@code #fragment} (Envoy's removeQueryAndFragment). */
  public static String pathOnly(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '?' || c == '#') {
        return path.substring(0, i);
      }
    }
    return path;
  }

  @Override
  public String toString() {
    return "path " + matcher;
  }
}
