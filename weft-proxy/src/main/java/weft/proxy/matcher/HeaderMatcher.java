package weft.proxy.matcher;

import io.envoyproxy.envoy.type.v3.Int64Range;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.config.route.v3.HeaderMatcher}, with Envoy's {@code
 * HeaderUtility::matchHeaders} semantics:
 *
 * <ul>
 *   <li>a missing header fails every match kind except {@code present_match: false}, and {@code
 *       invert_match} then only turns {@code present_match: true} into a match; unless {@code
 *       treat_missing_header_as_empty}, which matches the empty string instead;
 *   <li>several values of one header are joined with {@code ","} before matching;
 *   <li>{@code range_match} parses a signed 64-bit integer, start inclusive, end exclusive;
 *   <li>no match specifier means "the header is present".
 * </ul>
 *
 * Immutable and thread-safe.
 */
public final class HeaderMatcher {
  private sealed interface Test {}

  private record StringTest(StringMatcher matcher) implements Test {}

  private record RangeTest(long start, long end) implements Test {}

  private record PresentTest(boolean present) implements Test {}

  private final String name;
  private final Test test;
  private final boolean invert;
  private final boolean missingAsEmpty;

  private HeaderMatcher(String name, Test test, boolean invert, boolean missingAsEmpty) {
    this.name = name;
    this.test = test;
    this.invert = invert;
    this.missingAsEmpty = missingAsEmpty;
  }

  /** Compiles the proto; returns null after recording a problem when it cannot be used. */
  @SuppressWarnings("deprecation") // the legacy *_match fields are honoured, not refused
  public static HeaderMatcher compile(
      io.envoyproxy.envoy.config.route.v3.HeaderMatcher m,
      ConfigPath path,
      ConfigProblems problems) {
    SupportedFields.check(m, path, problems,
        "name", "exact_match", "safe_regex_match", "range_match", "present_match", "prefix_match",
        "suffix_match", "contains_match", "string_match", "invert_match",
        "treat_missing_header_as_empty");
    if (m.getName().isEmpty()) {
      problems.add(path.field("name"), "must not be empty");
      return null;
    }
    String name = m.getName().toLowerCase(Locale.ROOT);
    Test test = switch (m.getHeaderMatchSpecifierCase()) {
      // The legacy forms are kept because they map one to one onto string_match
      case EXACT_MATCH -> new StringTest(StringMatcher.exact(m.getExactMatch()));
      case PREFIX_MATCH -> nonEmpty(m.getPrefixMatch(), path.field("prefix_match"), problems)
          ? new StringTest(StringMatcher.prefix(m.getPrefixMatch())) : null;
      case SUFFIX_MATCH -> nonEmpty(m.getSuffixMatch(), path.field("suffix_match"), problems)
          ? new StringTest(new StringMatcher.Suffix(m.getSuffixMatch(), false)) : null;
      case CONTAINS_MATCH -> nonEmpty(m.getContainsMatch(), path.field("contains_match"), problems)
          ? new StringTest(new StringMatcher.Contains(m.getContainsMatch(), false)) : null;
      case SAFE_REGEX_MATCH -> {
        var p = StringMatcher.compileRegex(m.getSafeRegexMatch(), path.field("safe_regex_match"), problems);
        yield p == null ? null : new StringTest(new StringMatcher.Regex(p));
      }
      case STRING_MATCH -> {
        StringMatcher sm = StringMatcher.compile(m.getStringMatch(), path.field("string_match"), problems);
        yield sm == null ? null : new StringTest(sm);
      }
      case RANGE_MATCH -> {
        Int64Range r = m.getRangeMatch();
        SupportedFields.check(r, path.field("range_match"), problems, "start", "end");
        if (r.getEnd() <= r.getStart()) {
          problems.add(path.field("range_match"),
              "end " + r.getEnd() + " must be greater than start " + r.getStart());
          yield null;
        }
        yield new RangeTest(r.getStart(), r.getEnd());
      }
      case PRESENT_MATCH -> new PresentTest(m.getPresentMatch());
      case HEADERMATCHSPECIFIER_NOT_SET -> new PresentTest(true);
    };
    if (test == null) {
      return null;
    }
    return new HeaderMatcher(name, test, m.getInvertMatch(), m.getTreatMissingHeaderAsEmpty());
  }

  /** A matcher of one header against a string matcher, for code that builds matchers itself. */
  public static HeaderMatcher of(String name, StringMatcher matcher, boolean invert) {
    return new HeaderMatcher(name.toLowerCase(Locale.ROOT), new StringTest(matcher), invert, false);
  }

  private static boolean nonEmpty(String v, ConfigPath path, ConfigProblems problems) {
    if (v.isEmpty()) {
      problems.add(path, "must not be empty");
      return false;
    }
    return true;
  }

  public String name() {
    return name;
  }

  /** Whether the request's headers satisfy this matcher. */
  public boolean matches(HeaderSource headers) {
    String value = headers.header(name);
    if (value == null) {
      if (!missingAsEmpty) {
        boolean presentTest = test instanceof PresentTest;
        boolean present = presentTest && ((PresentTest) test).present();
        return invert ? presentTest && present : presentTest && !present;
      }
      value = "";
    }
    boolean match = switch (test) {
      case StringTest s -> s.matcher().matches(value);
      case RangeTest r -> inRange(value, r.start(), r.end());
      case PresentTest p -> p.present();
    };
    return match != invert;
  }

  /** Whether all matchers match (an empty array matches everything). */
  public static boolean allMatch(HeaderMatcher[] matchers, HeaderSource headers) {
    for (HeaderMatcher m : matchers) {
      if (!m.matches(headers)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether {@code value} is a signed decimal 64-bit integer in [start, end). Parsed by hand, like
   * absl::SimpleAtoi (surrounding whitespace and a sign allowed), so that non-numeric headers cost
   * no exception.
   */
  static boolean inRange(String value, long start, long end) {
    int i = 0;
    int n = value.length();
    while (i < n && Character.isWhitespace(value.charAt(i))) {
      i++;
    }
    while (n > i && Character.isWhitespace(value.charAt(n - 1))) {
      n--;
    }
    boolean negative = false;
    if (i < n && (value.charAt(i) == '+' || value.charAt(i) == '-')) {
      negative = value.charAt(i) == '-';
      i++;
    }
    if (i >= n) {
      return false;
    }
    long v = 0; // accumulated negatively so that Long.MIN_VALUE fits
    for (; i < n; i++) {
      int d = value.charAt(i) - '0';
      if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
        return false;
      }
      v = v * 10 - d;
    }
    if (!negative) {
      if (v == Long.MIN_VALUE) {
        return false;
      }
      v = -v;
    }
    return v >= start && v < end;
  }

  @Override
  public String toString() {
    String t = switch (test) {
      case StringTest s -> s.matcher().toString();
      case RangeTest r -> "range:[" + r.start() + "," + r.end() + ")";
      case PresentTest p -> "present:" + p.present();
    };
    return (invert ? "!" : "") + name + " " + t + (missingAsEmpty ? " (missing as empty)" : "");
  }
}
