package weft.proxy.filter.rbac;

/**
 * The verdict of one RBAC engine for one request. {@code policy} names the policy (rules form)
 * or action (matcher form) that decided, or is empty when none matched; {@code log} is true when a
 * LOG action matched (Envoy sets {@code access_log_hint}). Decisions are precomputed at compile,
 * so evaluation allocates nothing.
 */
public record RbacDecision(boolean allowed, String policy, boolean log) {
  public boolean denied() {
    return !allowed;
  }
}
