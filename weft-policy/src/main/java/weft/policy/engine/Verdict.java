package weft.policy.engine;

import java.util.List;
import java.util.Optional;
import weft.policy.model.Dialect;

/**
 * The result of {@link PolicyEngine#evaluate}: allowed only if every dialect allows; when denied,
 * how the denial shows; and per dialect the deciding rule and why.
 */
public record Verdict(boolean allowed, Optional<DenyMode> denyMode, List<DialectVerdict> dialects) {
  public Verdict {
    dialects = List.copyOf(dialects);
  }

  /** One dialect's verdict: {@code rule} names the deciding rule, or is empty (default allow). */
  public record DialectVerdict(
      Dialect dialect, boolean allowed, Optional<DenyMode> denyMode, String rule, String reason) {}

  public DialectVerdict dialect(Dialect d) {
    for (DialectVerdict v : dialects) {
      if (v.dialect() == d) return v;
    }
    throw new IllegalArgumentException("no verdict for " + d);
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(allowed ? "ALLOW" : "DENY");
    denyMode.ifPresent(m -> sb.append(" (").append(m.id()).append(')'));
    for (DialectVerdict v : dialects) {
      sb.append("\n  ").append(v.dialect().id()).append(": ").append(v.allowed() ? "ALLOW" : "DENY");
      if (!v.rule().isEmpty()) sb.append(" by ").append(v.rule());
      sb.append(": ").append(v.reason());
    }
    return sb.toString();
  }
}
