package weft.proxy.route;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import java.util.ArrayList;
import java.util.List;
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

  /**
   * {@code template} alternates literal text (String) and group references (Integer), parsed from
   * RE2's rewrite syntax once; substitution is done here rather than through RE2J's replaceAll,
   * whose {@code $10} would read as group 10 where RE2's {@code \10} means group 1 then "0".
   */
  record Regex(Pattern pattern, Object[] template, String envoySubstitution) implements PathRewrite {
    @Override
    public String apply(String path, int matchedLength) {
      int end = RouteMatcher.pathEnd(path);
      String p = end == path.length() ? path : path.substring(0, end);
      Matcher m = pattern.matcher(p);
      StringBuilder sb = null;
      int last = 0;
      while (m.find()) {
        if (sb == null) {
          sb = new StringBuilder(path.length() + 16);
        }
        sb.append(p, last, m.start());
        for (Object part : template) {
          if (part instanceof Integer g) {
            String v = m.group(g);
            if (v != null) {
              sb.append(v);
            }
          } else {
            sb.append((String) part);
          }
        }
        last = m.end();
      }
      if (sb == null) {
        return path; // no match: Envoy still "rewrites" to the same path
      }
      sb.append(p, last, p.length());
      return end == path.length() ? sb.toString() : sb.append(path, end, path.length()).toString();
    }
  }

  static PathRewrite compileRegex(RegexMatchAndSubstitute r, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(r, path, problems, "pattern", "substitution");
    Pattern p = StringMatcher.compileRegex(r.getPattern(), path.field("pattern"), problems);
    if (p == null) {
      return null;
    }
    Object[] template = parseSubstitution(r.getSubstitution(), p.groupCount(), path.field("substitution"), problems);
    return template == null ? null : new Regex(p, template, r.getSubstitution());
  }

  /**
   * Parses an Envoy (RE2) substitution: {@code \N} is group N (0 to 9), {@code \\} a backslash;
   * group numbers are checked as RE2's CheckRewriteString does.
   */
  static Object[] parseSubstitution(String s, int groups, ConfigPath path, ConfigProblems problems) {
    List<Object> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\') {
        lit.append(c);
        continue;
      }
      if (i + 1 >= s.length()) {
        problems.add(path, "\"" + s + "\" ends with a lone backslash (expected: \\N or \\\\)");
        return null;
      }
      char n = s.charAt(++i);
      if (n == '\\') {
        lit.append('\\');
      } else if (n >= '0' && n <= '9') {
        if (n - '0' > groups) {
          problems.add(path, "\"" + s + "\" refers to group " + n + " but the pattern has "
              + groups + " capturing group" + (groups == 1 ? "" : "s"));
          return null;
        }
        if (!lit.isEmpty()) {
          parts.add(lit.toString());
          lit.setLength(0);
        }
        parts.add(n - '0');
      } else {
        problems.add(path, "\"" + s + "\" has an invalid escape \\" + n
            + " (expected: \\0 to \\9 or \\\\)");
        return null;
      }
    }
    if (!lit.isEmpty()) {
      parts.add(lit.toString());
    }
    return parts.toArray();
  }
}
