package weft.policy.model;

import java.util.List;
import java.util.Optional;

/**
 * A translated Istio AuthorizationPolicy. {@code selector} empty: every workload in scope (its
 * namespace, or the whole mesh for the root namespace). {@code rules} empty: matches nothing.
 */
public record AuthzPolicy(
    PolicyRef ref, AuthzAction action, Optional<LabelSelector> selector, List<AuthzRule> rules) {
  public AuthzPolicy {
    rules = List.copyOf(rules);
  }

  public enum AuthzAction {
    ALLOW,
    DENY,
    AUDIT
  }

  /**
   * One rule: some source (each an AND of clauses) AND some operation AND every {@code when}
   * clause. Empty {@code from}/{@code to}: any.
   */
  public record AuthzRule(
      String path, List<List<Clause>> from, List<List<Clause>> to, List<Clause> when) {
    public AuthzRule {
      from = from.stream().map(List::copyOf).toList();
      to = to.stream().map(List::copyOf).toList();
      when = List.copyOf(when);
    }
  }
}
