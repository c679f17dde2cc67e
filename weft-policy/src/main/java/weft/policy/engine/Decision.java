package weft.policy.engine;

/** One dialect's decision at one end (or Istio's at the destination). */
record Decision(Outcome outcome, DenyMode mode, String rule, String reason) {
  enum Outcome {
    /** No policy of this dialect applies: default allow. */
    NOT_SELECTED,
    ALLOW,
    DENY
  }

  static Decision notSelected(String reason) {
    return new Decision(Outcome.NOT_SELECTED, null, "", reason);
  }

  static Decision allow(String rule, String reason) {
    return new Decision(Outcome.ALLOW, null, rule, reason);
  }

  static Decision deny(DenyMode mode, String rule, String reason) {
    return new Decision(Outcome.DENY, mode, rule, reason);
  }

  boolean denied() {
    return outcome == Outcome.DENY;
  }
}
