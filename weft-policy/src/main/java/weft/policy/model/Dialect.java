package weft.policy.model;

import java.util.Locale;

/** The policy languages weft understands. Each is evaluated with its own semantics (docs/policy.md). */
public enum Dialect {
  KUBERNETES,
  CILIUM,
  ISTIO;

  /** The lower-case name used in trace JSON and CLI output. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
