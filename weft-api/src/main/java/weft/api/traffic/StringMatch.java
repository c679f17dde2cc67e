package weft.api.traffic;

import java.util.Objects;

/**
 * Istio's {@code StringMatch}: exact, prefix or RE2 regex (full match, as Envoy's safe_regex).
 *
 * @param type how {@code value} matches
 * @param value the literal or the regex (validated as RE2 at decode time)
 */
public record StringMatch(Type type, String value) {
  public enum Type {
    EXACT,
    PREFIX,
    REGEX
  }

  public StringMatch {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(value, "value");
  }
}
