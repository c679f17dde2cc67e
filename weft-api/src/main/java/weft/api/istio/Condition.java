package weft.api.istio;

import java.util.List;
import java.util.Objects;

/**
 * {@code rules[].when[]}: the attribute must match one of {@code values} (if any) and none of
 * {@code notValues}. Values of IP keys are IPs or CIDRs and of {@code destination.port} port
 * numbers (checked at decode time); string values use exact / prefix / suffix / {@code *} matching.
 */
public record Condition(ConditionKey key, List<String> values, List<String> notValues) {
  public Condition {
    Objects.requireNonNull(key, "key");
    values = List.copyOf(values);
    notValues = List.copyOf(notValues);
  }
}
