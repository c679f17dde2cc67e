package weft.proxy.matcher;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.type.matcher.v3.StringMatcher}: exact, prefix, suffix, contains or
 * safe_regex, with {@code ignore_case} for all but the regex. Used by routes, RBAC and TLS SAN
 * matching. Regexes are RE2 (linear time, as Envoy's google_re2) and match the whole value.
 * Immutable and thread-safe; {@link #matches} allocates nothing unless ignore_case lower-cases.
 */
public abstract sealed class StringMatcher {
  /** Compiles the proto; returns null after recording a problem when it cannot be used. */
  public static StringMatcher compile(
      io.envoyproxy.envoy.type.matcher.v3.StringMatcher m, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(m, path, problems,
        "exact", "prefix", "suffix", "safe_regex", "contains", "ignore_case");
    boolean ic = m.getIgnoreCase();
    return switch (m.getMatchPatternCase()) {
      case EXACT -> new Exact(m.getExact(), ic);
      case PREFIX -> nonEmpty(m.getPrefix(), path.field("prefix"), problems)
          ? new Prefix(m.getPrefix(), ic) : null;
      case SUFFIX -> nonEmpty(m.getSuffix(), path.field("suffix"), problems)
          ? new Suffix(m.getSuffix(), ic) : null;
      case CONTAINS -> nonEmpty(m.getContains(), path.field("contains"), problems)
          ? new Contains(m.getContains(), ic) : null;
      case SAFE_REGEX -> {
        Pattern p = compileRegex(m.getSafeRegex(), path.field("safe_regex"), problems);
        yield p == null ? null : new Regex(p);
      }
      case CUSTOM -> {
        problems.unsupported(path.field("custom"), "custom string matcher extension");
        yield null;
      }
      case MATCHPATTERN_NOT_SET -> {
        problems.add(path, "one of exact, prefix, suffix, contains, safe_regex is required");
        yield null;
      }
    };
  }

  /** Compiles an Envoy {@code RegexMatcher} (google_re2 engine or none) into an RE2 pattern. */
  public static Pattern compileRegex(RegexMatcher rm, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(rm, path, problems, "google_re2", "regex");
    if (rm.hasGoogleRe2()) {
      // max_program_size is deprecated in Envoy and has no RE2J equivalent; refuse it rather than ignore
      SupportedFields.check(rm.getGoogleRe2(), path.field("google_re2"), problems);
    }
    try {
      return Pattern.compile(rm.getRegex());
    } catch (PatternSyntaxException e) {
      problems.add(path.field("regex"), "invalid regex \"" + rm.getRegex() + "\": " + e.getDescription());
      return null;
    }
  }

  private static boolean nonEmpty(String v, ConfigPath path, ConfigProblems problems) {
    if (v.isEmpty()) {
      problems.add(path, "must not be empty");
      return false;
    }
    return true;
  }

  /** Whether {@code value} matches; a null value (absent) never matches. */
  public abstract boolean matches(CharSequence value);

  /** A short description for logs, traces and config dumps. */
  @Override
  public abstract String toString();

  public static StringMatcher exact(String v) {
    return new Exact(v, false);
  }

  public static StringMatcher prefix(String v) {
    return new Prefix(v, false);
  }

  static final class Exact extends StringMatcher {
    private final String value;
    private final boolean ignoreCase;

    Exact(String value, boolean ignoreCase) {
      this.value = value;
      this.ignoreCase = ignoreCase;
    }

    @Override
    public boolean matches(CharSequence v) {
      if (v == null || v.length() != value.length()) {
        return false;
      }
      return regionMatches(v, 0, value, ignoreCase);
    }

    @Override
    public String toString() {
      return "exact:" + value + (ignoreCase ? " (ignore_case)" : "");
    }
  }

  static final class Prefix extends StringMatcher {
    private final String value;
    private final boolean ignoreCase;

    Prefix(String value, boolean ignoreCase) {
      this.value = value;
      this.ignoreCase = ignoreCase;
    }

    @Override
    public boolean matches(CharSequence v) {
      return v != null && v.length() >= value.length() && regionMatches(v, 0, value, ignoreCase);
    }

    @Override
    public String toString() {
      return "prefix:" + value + (ignoreCase ? " (ignore_case)" : "");
    }
  }

  static final class Suffix extends StringMatcher {
    private final String value;
    private final boolean ignoreCase;

    Suffix(String value, boolean ignoreCase) {
      this.value = value;
      this.ignoreCase = ignoreCase;
    }

    @Override
    public boolean matches(CharSequence v) {
      return v != null
          && v.length() >= value.length()
          && regionMatches(v, v.length() - value.length(), value, ignoreCase);
    }

    @Override
    public String toString() {
      return "suffix:" + value + (ignoreCase ? " (ignore_case)" : "");
    }
  }

  static final class Contains extends StringMatcher {
    private final String value;
    private final boolean ignoreCase;

    Contains(String value, boolean ignoreCase) {
      this.value = value;
      this.ignoreCase = ignoreCase;
    }

    @Override
    public boolean matches(CharSequence v) {
      if (v == null) {
        return false;
      }
      // a region scan instead of lower-casing a copy: no allocation per request
      for (int i = 0, last = v.length() - value.length(); i <= last; i++) {
        if (regionMatches(v, i, value, ignoreCase)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public String toString() {
      return "contains:" + value + (ignoreCase ? " (ignore_case)" : "");
    }
  }

  static final class Regex extends StringMatcher {
    private final Pattern pattern;

    Regex(Pattern pattern) {
      this.pattern = pattern;
    }

    @Override
    public boolean matches(CharSequence v) {
      return v != null && pattern.matcher(v).matches();
    }

    @Override
    public String toString() {
      return "safe_regex:" + pattern.pattern();
    }
  }

  private static boolean regionMatches(CharSequence v, int offset, String expected, boolean ignoreCase) {
    for (int i = 0; i < expected.length(); i++) {
      char a = v.charAt(offset + i);
      char b = expected.charAt(i);
      if (a != b && !(ignoreCase && asciiLower(a) == asciiLower(b))) {
        return false;
      }
    }
    return true;
  }

  private static char asciiLower(char c) {
    return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
  }
}
