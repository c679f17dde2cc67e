package weft.proxy.matcher;

import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.config.route.v3.QueryParameterMatcher}. As Envoy's
 * {@code ConfigUtility::QueryParameterMatcher}: the query string of {@code :path} is a list of
 * {@code &}-separated {@code key} or {@code key=value} elements, matched without percent-decoding;
 * only the first occurrence of a key counts; {@code present_match} compares presence; a {@code
 * string_match} needs the key present and its value to match; with neither, presence suffices.
 */
public final class QueryParameterMatcher {
  private final String name;
  private final StringMatcher value; // null: presence test
  private final boolean expectPresent;

  private QueryParameterMatcher(String name, StringMatcher value, boolean expectPresent) {
    this.name = name;
    this.value = value;
    this.expectPresent = expectPresent;
  }

  /** Compiles the proto; returns null after recording a problem when it cannot be used. */
  public static QueryParameterMatcher compile(
      io.envoyproxy.envoy.config.route.v3.QueryParameterMatcher m,
      ConfigPath path,
      ConfigProblems problems) {
    SupportedFields.check(m, path, problems, "name", "string_match", "present_match");
    if (m.getName().isEmpty()) {
      problems.add(path.field("name"), "must not be empty");
      return null;
    }
    return switch (m.getQueryParameterMatchSpecifierCase()) {
      case STRING_MATCH -> {
        StringMatcher sm = StringMatcher.compile(m.getStringMatch(), path.field("string_match"), problems);
        yield sm == null ? null : new QueryParameterMatcher(m.getName(), sm, true);
      }
      case PRESENT_MATCH -> new QueryParameterMatcher(m.getName(), null, m.getPresentMatch());
      case QUERYPARAMETERMATCHSPECIFIER_NOT_SET -> new QueryParameterMatcher(m.getName(), null, true);
    };
  }

  /** Whether the query string of {@code pathWithQuery} satisfies this matcher. */
  public boolean matches(String pathWithQuery) {
    String v = firstValue(pathWithQuery, name);
    if (value == null) {
      return (v != null) == expectPresent;
    }
    return v != null && value.matches(v);
  }

  /**
   * The raw value of the first {@code key} element in the query of {@code path}: "" for a bare
   * key, null when absent. A fragment ends the query.
   */
  public static String firstValue(String path, String key) {
    int q = path.indexOf('?');
    if (q < 0) {
      return null;
    }
    int end = path.indexOf('#', q + 1);
    if (end < 0) {
      end = path.length();
    }
    int i = q + 1;
    while (i <= end) {
      int amp = path.indexOf('&', i);
      if (amp < 0 || amp > end) {
        amp = end;
      }
      int eq = path.indexOf('=', i);
      int keyEnd = eq >= 0 && eq < amp ? eq : amp;
      if (keyEnd - i == key.length() && path.regionMatches(i, key, 0, key.length())) {
        return keyEnd == amp ? "" : path.substring(keyEnd + 1, amp);
      }
      i = amp + 1;
    }
    return null;
  }

  @Override
  public String toString() {
    return "?" + name + (value == null ? " present:" + expectPresent : " " + value);
  }
}
