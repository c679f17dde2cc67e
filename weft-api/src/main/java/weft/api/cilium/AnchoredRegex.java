package weft.api.cilium;

import com.google.re2j.Pattern;
import java.util.Objects;

/**
 * A Cilium L7 regex (HTTP method, path, host). Cilium hands these to Envoy as {@code safe_regex}
 * matchers, which match the whole value (RE2 full match), so {@code /jobs/[0-9]+} does not match
 * {@code /jobs/1/delete}. Compiled once at decode time as {@code ^(?:source)$}.
 *
 * <p>Equality is by source text only (a compiled pattern has identity equality).
 *
 * @param source the regex as written
 * @param pattern {@code source} compiled, anchored at both ends
 */
public record AnchoredRegex(String source, Pattern pattern) {
  public AnchoredRegex {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(pattern, "pattern");
  }

  /**
   * Compiles {@code source} as RE2.
   *
   * @throws com.google.re2j.PatternSyntaxException if the source alone is not a valid RE2 regex
   */
  public static AnchoredRegex compile(String source) {
    // Compile the source on its own first: wrapping "a)(b" would hide its unbalanced parentheses.
    Pattern.compile(source);
    return new AnchoredRegex(source, Pattern.compile("^(?:" + source + ")$"));
  }

  /** True if the whole of {@code value} matches. */
  public boolean matches(CharSequence value) {
    return pattern.matcher(value).find();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AnchoredRegex other && source.equals(other.source);
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
