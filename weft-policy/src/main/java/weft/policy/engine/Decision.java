package weft.policy.engine;

/** One dialect's decision at one end (or Istio's at the destination). */
record Decision(Outcome outcome, DenyMode mode, String rule, String reason) {
  enum Outcome {
    /** No policy of this dialect applies: default allow. */
    NOT_SELECTED,
    ALLOW,
    DENY
  }

  static final Decision NOT_SELECTED = new Decision(Outcome.NOT_SELECTED, null, "", "");
  static final Decision ALLOW = new Decision(Outcome.ALLOW, null, "", "");
  static final Decision DENY_DROP = new Decision(Outcome.DENY, DenyMode.DROP, "", "");
  static final Decision DENY_HTTP_403 = new Decision(Outcome.DENY, DenyMode.HTTP_403, "", "");
  static final Decision DENY_KAFKA_ERROR = new Decision(Outcome.DENY, DenyMode.KAFKA_ERROR, "", "");

  static Decision quietDeny(DenyMode m) {
    return switch (m) {
      case DROP -> DENY_DROP;
      case HTTP_403 -> DENY_HTTP_403;
      case KAFKA_ERROR -> DENY_KAFKA_ERROR;
    };
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
