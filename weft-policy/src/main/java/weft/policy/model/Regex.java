package weft.policy.model;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;

/**
 * An RE2 regex matched against a whole value (anchored, like Envoy's {@code safe_regex} full match
 * which Cilium's HTTP rules compile to). Compiled once at translation; equality is by source.
 */
public final class Regex {
  private final String source;
  private final Pattern pattern;
  /** The source when it has no metacharacters: matching is then string equality. */
  private final String literal;

  private Regex(String source, Pattern pattern) {
    this.source = source;
    this.pattern = pattern;
    this.literal = source.chars().anyMatch(c -> "\\.+*?()|[]{}^$".indexOf(c) >= 0) ? null : source;
  }

  /** Compiles {@code source}; throws {@link PatternSyntaxException} with RE2's description. */
  public static Regex compile(String source) throws PatternSyntaxException {
    return new Regex(source, Pattern.compile(source));
  }

  public boolean matches(String value) {
    if (literal != null) return literal.equals(value);
    return pattern.matches(value);
  }

  public String source() {
    return source;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Regex r && r.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
