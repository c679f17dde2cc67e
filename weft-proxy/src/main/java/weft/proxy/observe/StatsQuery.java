package weft.proxy.observe;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * Which stats an admin request asks for: Envoy's {@code ?filter=REGEX} (RE2, matched anywhere in
 * the name, as Envoy's partial match), {@code ?usedonly} and {@code ?type=}.
 *
 * @param filter null for every stat
 * @param type which kinds of stat
 */
public record StatsQuery(Pattern filter, boolean usedOnly, Type type) {
  public static final StatsQuery ALL = new StatsQuery(null, false, Type.ALL);

  /** Envoy's {@code ?type=} values (TextReadouts: weft has none, so nothing is listed). */
  public enum Type {
    ALL,
    COUNTERS,
    GAUGES,
    HISTOGRAMS,
    TEXT_READOUTS;

    /**
     * Parses Envoy's spelling ({@code All}, {@code Counters}, {@code Gauges}, {@code Histograms},
     * {@code TextReadouts}); null means {@code All}.
     *
     * @throws IllegalArgumentException naming the value and the choices
     */
    public static Type parse(String value) {
      if (value == null) {
        return ALL;
      }
      return switch (value) {
        case "All" -> ALL;
        case "Counters" -> COUNTERS;
        case "Gauges" -> GAUGES;
        case "Histograms" -> HISTOGRAMS;
        case "TextReadouts" -> TEXT_READOUTS;
        default ->
            throw new IllegalArgumentException(
                "invalid type "
                    + value
                    + " (expected: All, Counters, Gauges, Histograms or TextReadouts)");
      };
    }

    boolean includes(Type kind) {
      return this == ALL || this == kind;
    }
  }

  /**
   * Builds a query from the raw parameter values; {@code filter} may be null.
   *
   * @throws IllegalArgumentException naming the regex when it does not compile
   */
  public static StatsQuery of(String filter, boolean usedOnly) {
    return of(filter, usedOnly, Type.ALL);
  }

  /** As {@link #of(String, boolean)}, restricted to one kind of stat. */
  public static StatsQuery of(String filter, boolean usedOnly, Type type) {
    if (filter == null || filter.isEmpty()) {
      return new StatsQuery(null, usedOnly, type);
    }
    try {
      return new StatsQuery(Pattern.compile(filter), usedOnly, type);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "invalid filter regex " + filter + ": " + e.getMessage(), e);
    }
  }

  boolean matches(String name) {
    return filter == null || filter.matcher(name).find();
  }
}
