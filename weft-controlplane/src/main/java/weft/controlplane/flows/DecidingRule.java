package weft.controlplane.flows;

import java.util.Optional;
import java.util.regex.Pattern;
import weft.api.Workload;
import weft.policy.engine.Flow;
import weft.policy.engine.Verdict;
import weft.policy.engine.WorkloadPolicy;

/**
 * Names the policy rule behind a verdict, with the same code the proxies' RBAC came from: a denial
 * that names its RBAC policy is mapped back to the weft rule it was exported from (weft-policy's
 * export names label rules {@code "<i> <rule>"} and Istio rules {@code "<rule>"}); a denial by no
 * policy ({@code [none]}: nothing in an ALLOW list matched) and a forwarded flow are judged again by
 * the policy engine ({@code weft policy trace}'s evaluation), which names the rule.
 */
final class DecidingRule {
  static final String RBAC_DENIED = "rbac_access_denied_matched_policy[";
  private static final Pattern LABEL_INDEX = Pattern.compile("^[0-9]+ ");

  /** The deciding rule ({@code policy}, null if none) and why, for people. */
  record Named(String policy, String reason) {}

  private DecidingRule() {}

  /** The policy name inside {@code rbac_access_denied_matched_policy[NAME]}, or null. */
  static String matchedPolicy(String details) {
    if (details == null || !details.startsWith(RBAC_DENIED) || !details.endsWith("]")) {
      return null;
    }
    return details.substring(RBAC_DENIED.length(), details.length() - 1);
  }

  /**
   * A denial reported with {@code details} by the sidecar of {@code enforcer}; {@code flow} is the
   * flow as the policy engine sees it, if both ends are known.
   */
  static Named denied(MeshView mesh, Workload enforcer, String details, Optional<Flow> flow) {
    String matched = matchedPolicy(details);
    if (matched != null && !matched.equals("none") && enforcer != null) {
      String exported = mesh.rbacNames(enforcer).getOrDefault(matched, matched);
      return new Named(rule(mesh, enforcer, exported), "denied by RBAC policy " + exported);
    }
    Optional<Verdict> verdict = mesh.engine == null || flow.isEmpty() ? Optional.empty() : evaluate(mesh, flow.get());
    if (verdict.isPresent()) {
      Verdict v = verdict.get();
      for (Verdict.DialectVerdict d : v.dialects()) {
        if (!d.allowed()) {
          return new Named(d.rule().isEmpty() ? null : d.rule(), d.reason());
        }
      }
      return new Named(null, details + "; the policy engine allows this flow now (the policy changed since?)");
    }
    return new Named(null, details);
  }

  /** A forwarded flow: the rule that allowed it, or none when no policy selects the destination. */
  static Named forwarded(MeshView mesh, Optional<Flow> flow) {
    Optional<Verdict> verdict = mesh.engine == null || flow.isEmpty() ? Optional.empty() : evaluate(mesh, flow.get());
    if (verdict.isEmpty()) {
      return new Named(null, "");
    }
    Verdict v = verdict.get();
    if (!v.allowed()) {
      for (Verdict.DialectVerdict d : v.dialects()) {
        if (!d.allowed()) {
          return new Named(null, "forwarded here, but the policy engine denies it: " + d.reason());
        }
      }
    }
    for (Verdict.DialectVerdict d : v.dialects()) {
      if (!notSelected(d)) {
        return new Named(d.rule(), d.reason());
      }
    }
    return new Named(null, v.dialects().isEmpty() ? "allowed by default" : v.dialects().getFirst().reason());
  }

  /**
   * Whether no policy of the dialect applied (default allow): the engine then puts its explanation
   * where the rule goes ({@code PolicyEngine.toVerdict}), so the rule is the start of the reason.
   */
  private static boolean notSelected(Verdict.DialectVerdict d) {
    return d.rule().isEmpty() || d.reason().startsWith(d.rule());
  }

  /** {@link weft.policy.engine.PolicyEngine#evaluate}, or empty for a flow it cannot judge (an end it does not know). */
  private static Optional<Verdict> evaluate(MeshView mesh, Flow flow) {
    try {
      return Optional.of(mesh.engine.evaluate(flow));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The weft rule an exported RBAC policy name stands for. */
  static String rule(MeshView mesh, Workload enforcer, String exported) {
    if (exported.equals("peer-authentication STRICT")) {
      return mesh.policy(enforcer).map(WorkloadPolicy::istio).map(i -> i.modeFrom())
          .map(ref -> ref + " (mTLS STRICT)").orElse(exported);
    }
    return LABEL_INDEX.matcher(exported).replaceFirst("");
  }
}
