package weft.proxy.filter.rbac;

import com.github.xds.type.matcher.v3.Matcher;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled RBAC engine: either the {@code rules} form ({@code envoy.config.rbac.v3.RBAC}) or the
 * {@code matcher} form (an {@code xds.type.matcher.v3.Matcher} whose actions are
 * {@code envoy.config.rbac.v3.Action}). Immutable and thread-safe; {@link #evaluate} is pure and
 * allocates nothing.
 */
public sealed interface RbacEngine permits RbacEngine.Policies, MatcherEngine {

  /** Evaluates one request or connection. */
  RbacDecision evaluate(RbacRequest r);

  /**
   * Compiles the rules form. Returns null after recording problems when any policy cannot be
   * compiled: a partly understood policy set is never enforced.
   */
  static RbacEngine compile(RBAC rbac, ConfigPath path, ConfigProblems problems) {
    int before = problems.list().size();
    SupportedFields.check(rbac, path, problems, "action", "policies");
    if (rbac.getAction() == RBAC.Action.UNRECOGNIZED) {
      problems.unsupported(path.field("action"), "action " + rbac.getActionValue());
      return null;
    }
    // Envoy keeps policies in a std::map: evaluated, and reported, in name order
    Map<String, Policy> sorted = new TreeMap<>(rbac.getPoliciesMap());
    List<String> names = new ArrayList<>();
    List<RbacRule> permissions = new ArrayList<>();
    List<RbacRule> principals = new ArrayList<>();
    for (Map.Entry<String, Policy> e : sorted.entrySet()) {
      ConfigPath pp = path.field("policies").key(e.getKey());
      Policy p = e.getValue();
      SupportedFields.check(p, pp, problems, "permissions", "principals");
      if (p.getPermissionsCount() == 0) {
        problems.add(pp.field("permissions"), "must not be empty");
      }
      if (p.getPrincipalsCount() == 0) {
        problems.add(pp.field("principals"), "must not be empty");
      }
      names.add(e.getKey());
      permissions.add(RbacRuleCompiler.permissions(p.getPermissionsList(), false, pp.field("permissions"), problems));
      principals.add(RbacRuleCompiler.principals(p.getPrincipalsList(), false, pp.field("principals"), problems));
    }
    if (problems.list().size() > before) {
      return null;
    }
    return new Policies(rbac.getAction(), names.toArray(String[]::new),
        permissions.toArray(RbacRule[]::new), principals.toArray(RbacRule[]::new));
  }

  /** Compiles the matcher form; null after recording problems. */
  static RbacEngine compileMatcher(Matcher matcher, ConfigPath path, ConfigProblems problems) {
    return MatcherEngine.compile(matcher, path, problems);
  }

  /**
   * The rules form. ALLOW: allowed iff a policy matches; DENY: denied iff a policy matches; LOG:
   * always allowed, logging requested iff a policy matches. A policy matches when any permission
   * and any principal match. The decision names the first matching policy in name order.
   */
  final class Policies implements RbacEngine {
    private final RBAC.Action action;
    private final String[] names;
    private final RbacRule[] permissions;
    private final RbacRule[] principals;
    private final RbacDecision[] onMatch;
    private final RbacDecision onNoMatch;

    Policies(RBAC.Action action, String[] names, RbacRule[] permissions, RbacRule[] principals) {
      this.action = action;
      this.names = names;
      this.permissions = permissions;
      this.principals = principals;
      this.onMatch = new RbacDecision[names.length];
      for (int i = 0; i < names.length; i++) {
        onMatch[i] = new RbacDecision(action != RBAC.Action.DENY, names[i], action == RBAC.Action.LOG);
      }
      this.onNoMatch = new RbacDecision(action != RBAC.Action.ALLOW, "", false);
    }

    @Override
    public RbacDecision evaluate(RbacRequest r) {
      for (int i = 0; i < names.length; i++) {
        if (permissions[i].matches(r) && principals[i].matches(r)) {
          return onMatch[i];
        }
      }
      return onNoMatch;
    }

    public RBAC.Action action() {
      return action;
    }

    /** Policy names in evaluation order. */
    public List<String> policyNames() {
      return List.of(names);
    }
  }
}
