package weft.policy.lint;

import java.util.Optional;
import weft.policy.engine.Flow;

/**
 * One lint finding: how bad, which check, the rule it is about, what is wrong, and a flow that
 * shows it (empty when no flow can: a selector that matches nothing).
 */
public record Finding(Severity severity, String check, String rule, String message, Optional<Flow> example) {
  public enum Severity {
    ERROR,
    WARNING
  }

  @Override
  public String toString() {
    return severity.name().toLowerCase(java.util.Locale.ROOT) + " " + check + ": " + rule + ": " + message
        + example.map(f -> "\n  example: " + f.describe()).orElse("");
  }
}
