package weft.proxy.route;

import com.google.re2j.Pattern;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatchAndSubstitute;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.matcher.StringMatcher;

/**
 * {@code prefix_rewrite} or {@code regex_rewrite} of a route or redirect, as Envoy's
 * {@code currentUrlPathAfterRewriteWithMatchedPath}: a prefix rewrite replaces the part of the
 * path the route matched (query kept); a regex rewrite substitutes every match in the path
 * without its query (RE2 GlobalReplace), then re-appends the query.
 */
sealed interface PathRewrite {
  /** The rewritten path; {@code matchedLength} is what the route matched (see RouteMatcher). */
  String apply(String path, int matchedLength);

  record Prefix(String replacement) implements PathRewrite {
    @Override
    public String apply(String path, int matchedLength) {
      return replacement + path.substring(Math.min(matchedLength, path.length()));
    }
  }

  record Regex(Pattern pattern, String re2jReplacement, String envoySubstitution) implements PathRewrite {
    @Override
    public String apply(String path, int matchedLength) {
      int end = RouteMatcher.pathEnd(path);
      String rewritten = pattern.matcher(path.substring(0, end)).replaceAll(re2jReplacement);
      return end == path.length() ? rewritten : rewritten + path.substring(end);
    }
  }

  static PathRewrite compileRegex(RegexMatchAndSubstitute r, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(r, path, problems, "pattern", "substitution");
    Pattern p = StringMatcher.compileRegex(r.getPattern(), path.field("pattern"), problems);
    if (p == null) {
      return null;
    }
    String repl = translateSubstitution(r.getSubstitution(), p.groupCount(), path.field("substitution"), problems);
    return repl == null ? null : new Regex(p, repl, r.getSubstitution());
  }

  /**
   * Envoy substitutions use RE2's rewrite syntax ({@code \1}, {@code \\}); RE2J uses {@code $1}
   * and treats {@code $} and {@code \} specially. Translate once, checking group numbers as RE2's
   * CheckRewriteString does.
   */
  static String translateSubstitution(String s, int groups, ConfigPath path, ConfigProblems problems) {
    StringBuilder sb = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\') {
        if (i + 1 >= s.length()) {
          problems.add(path, "\"" + s + "\" ends with a lone backslash (expected: \\N or \\\\)");
          return null;
        }
        char n = s.charAt(++i);
        if (n == '\\') {
          sb.append("\\\\");
        } else if (n >= '0' && n <= '9') {
          if (n - '0' > groups) {
            problems.add(path, "\"" + s + "\" refers to group " + n + " but the pattern has "
                + groups + " capturing group" + (groups == 1 ? "" : "s"));
            return null;
          }
          sb.append('$').append(n);
        } else {
          problems.add(path, "\"" + s + "\" has an invalid escape \\" + n
              + " (expected: \\0 to \\9 or \\\\)");
          return null;
        }
      } else if (c == '$') {
        sb.append("\\$");
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
