package weft.api.istio;

import java.util.Objects;
import java.util.Optional;

/**
 * A validated {@code when[].key}.
 *
 * @param attribute which attribute
 * @param parameter the header name for {@code request.headers[name]}, the claim for {@code
 *     request.auth.claims[claim]} (nested claims keep Istio's spelling, {@code a][b}); empty for the
 *     others
 */
public record ConditionKey(Attribute attribute, Optional<String> parameter) {

  /** The condition keys weft supports (Istio "Authorization Policy Conditions"). */
  public enum Attribute {
    REQUEST_HEADERS("request.headers", true, true),
    SOURCE_IP("source.ip", false, false),
    REMOTE_IP("remote.ip", false, false),
    SOURCE_NAMESPACE("source.namespace", false, false),
    SOURCE_PRINCIPAL("source.principal", false, false),
    REQUEST_AUTH_PRINCIPAL("request.auth.principal", false, true),
    REQUEST_AUTH_CLAIMS("request.auth.claims", true, true),
    DESTINATION_IP("destination.ip", false, false),
    DESTINATION_PORT("destination.port", false, false),
    CONNECTION_SNI("connection.sni", false, false);

    private final String wireName;
    private final boolean parameterized;
    private final boolean httpOnly;

    Attribute(String wireName, boolean parameterized, boolean httpOnly) {
      this.wireName = wireName;
      this.parameterized = parameterized;
      this.httpOnly = httpOnly;
    }

    public String wireName() {
      return wireName;
    }

    /** True for keys written {@code name[parameter]}. */
    public boolean parameterized() {
      return parameterized;
    }

    /** True if the attribute exists only for HTTP requests. */
    public boolean httpOnly() {
      return httpOnly;
    }
  }

  public ConditionKey {
    Objects.requireNonNull(attribute, "attribute");
    Objects.requireNonNull(parameter, "parameter");
    if (attribute.parameterized() == parameter.isEmpty()) {
      throw new IllegalArgumentException(
          "parameter: " + parameter + " (expected: " + (attribute.parameterized() ? "one" : "none")
              + " for " + attribute.wireName() + ")");
    }
  }

  @Override
  public String toString() {
    return attribute.wireName() + parameter.map(p -> "[" + p + "]").orElse("");
  }
}
