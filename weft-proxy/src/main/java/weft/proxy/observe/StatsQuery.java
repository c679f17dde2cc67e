package weft.proxy.observe;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Which stats an admin request asks for: Envoy's {@code ?filter=REGEX} (RE2, matched anywhere in
 * the name, as Envoy's partial match) and {@code ?usedonly}.
 *
 * @param filter null for every stat
 */
public record StatsQuery(Pattern filter, boolean usedOnly) {
  public static final StatsQuery ALL = new StatsQuery(null, false);

  /**
   * Builds a query from the raw parameter values; {@code filter} may be null.
   *
   * @throws IllegalArgumentException naming the regex when it does not compile
   */
  public static StatsQuery of(String filter, boolean usedOnly) {
    if (filter == null || filter.isEmpty()) {
      return new StatsQuery(null, usedOnly);
    }
    try {
      return new StatsQuery(Pattern.compile(filter), usedOnly);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid filter regex " + filter + ": " + e.getMessage(), e);
    }
  }

  boolean matches(String name) {
    return filter == null || filter.matcher(name).find();
  }
}
