package weft.api.meta;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code matchExpressions} entry of a Kubernetes label selector.
 *
 * @param key the label key
 * @param operator In, NotIn, Exists or DoesNotExist
 * @param values non-empty for In/NotIn, empty for Exists/DoesNotExist (checked here)
 */
public record LabelRequirement(String key, Operator operator, List<String> values) {

  /** Kubernetes' selector operators (meta/v1 LabelSelectorOperator). */
  public enum Operator {
    IN("In"),
    NOT_IN("NotIn"),
    EXISTS("Exists"),
    DOES_NOT_EXIST("DoesNotExist");

    private final String wireName;

    Operator(String wireName) {
      this.wireName = wireName;
    }

    /** The spelling used in YAML, e.g. {@code NotIn}. */
    public String wireName() {
      return wireName;
    }

    public boolean needsValues() {
      return this == IN || this == NOT_IN;
    }
  }

  public LabelRequirement {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    if (operator.needsValues() == values.isEmpty()) {
      throw new IllegalArgumentException(
          "values: " + values + " (expected: " + (operator.needsValues() ? "non-empty" : "empty")
              + " for " + operator.wireName() + ")");
    }
  }

  /** Kubernetes semantics: NotIn and DoesNotExist match a label set without the key. */
  public boolean matches(Map<String, String> labels) {
    String value = labels.get(key);
    return switch (operator) {
      case IN -> value != null && values.contains(value);
      case NOT_IN -> value == null || !values.contains(value);
      case EXISTS -> value != null;
      case DOES_NOT_EXIST -> value == null;
    };
  }
}
