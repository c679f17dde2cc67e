package weft.proxy.filter.rbac;

import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.Counter;
import weft.proxy.observe.StatsStore;

/**
 * The compiled config of Envoy's RBAC filters, HTTP ({@code envoy.filters.http.rbac}) and network
 * ({@code envoy.filters.network.rbac}): the enforced engine, the shadow engine and their stats.
 * One instance is shared by every stream; {@link #check} is called once per request (HTTP) or on
 * the first bytes of a connection (network, ONE_TIME_ON_FIRST_BYTE) and counts {@code allowed},
 * {@code denied}, {@code shadow_allowed} and {@code shadow_denied} as Envoy does. On a denial the
 * HTTP connection manager answers {@value #DENIED_BODY} with 403; the network filter closes the
 * connection.
 */
public final class RbacFilterConfig {
  /** The body of Envoy's local reply on an HTTP denial. */
  public static final String DENIED_BODY = "RBAC: access denied";

  private static final RbacDecision NOT_ENFORCED = new RbacDecision(true, "", false);

  /**
   * The outcome of one check. {@code enforced} decides (allowed when no enforced rules are
   * configured); {@code shadow} is null when no shadow rules are configured.
   */
  public record Check(RbacDecision enforced, RbacDecision shadow) {
    public boolean allowed() {
      return enforced.allowed();
    }
  }

  private final RbacEngine engine; // null: nothing enforced
  private final RbacEngine shadow; // null: no shadow rules
  private final Counter allowed;
  private final Counter denied;
  private final Counter shadowAllowed;
  private final Counter shadowDenied;

  private RbacFilterConfig(RbacEngine engine, RbacEngine shadow, StatsStore stats, String prefix,
      String rulesPrefix, String shadowPrefix) {
    this.engine = engine;
    this.shadow = shadow;
    String base = statPrefixJoin(prefix, "rbac.");
    this.allowed = stats.counter(base + rulesPrefix + "allowed");
    this.denied = stats.counter(base + rulesPrefix + "denied");
    this.shadowAllowed = stats.counter(base + shadowPrefix + "shadow_allowed");
    this.shadowDenied = stats.counter(base + shadowPrefix + "shadow_denied");
  }

  /**
   * Compiles {@code envoy.extensions.filters.http.rbac.v3.RBAC}. {@code hcmStatPrefix} is the
   * owning connection manager's {@code stat_prefix}: stats are {@code http.<it>.rbac.*}. Returns
   * null when there was a problem (the filter must then not run with partial rules).
   */
  public static RbacFilterConfig compileHttp(
      io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC c,
      String hcmStatPrefix,
      StatsStore stats,
      ConfigPath path,
      ConfigProblems problems) {
    int before = problems.list().size();
    SupportedFields.check(c, path, problems,
        "rules", "rules_stat_prefix", "matcher", "shadow_rules", "shadow_matcher", "shadow_rules_stat_prefix");
    RbacEngine engine = engine(c.hasRules(), c.getRules(), c.hasMatcher(), c.getMatcher(),
        "rules", "matcher", path, problems);
    RbacEngine shadow = engine(c.hasShadowRules(), c.getShadowRules(), c.hasShadowMatcher(), c.getShadowMatcher(),
        "shadow_rules", "shadow_matcher", path, problems);
    if (problems.list().size() > before) {
      return null;
    }
    return new RbacFilterConfig(engine, shadow, stats, "http." + hcmStatPrefix + ".",
        c.getRulesStatPrefix(), c.getShadowRulesStatPrefix());
  }

  /**
   * Compiles {@code envoy.extensions.filters.network.rbac.v3.RBAC} (enforcement_type
   * ONE_TIME_ON_FIRST_BYTE only). Stats are {@code <stat_prefix>.rbac.*}.
   */
  public static RbacFilterConfig compileNetwork(
      io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC c,
      StatsStore stats,
      ConfigPath path,
      ConfigProblems problems) {
    int before = problems.list().size();
    SupportedFields.check(c, path, problems,
        "rules", "matcher", "shadow_rules", "shadow_matcher", "shadow_rules_stat_prefix", "stat_prefix",
        "enforcement_type");
    if (c.getStatPrefix().isEmpty()) {
      problems.add(path.field("stat_prefix"), "must not be empty");
    }
    switch (c.getEnforcementType()) {
      case ONE_TIME_ON_FIRST_BYTE -> { }
      case CONTINUOUS, UNRECOGNIZED -> problems.unsupported(path.field("enforcement_type"),
          "enforcement_type " + c.getEnforcementType());
    }
    RbacEngine engine = engine(c.hasRules(), c.getRules(), c.hasMatcher(), c.getMatcher(),
        "rules", "matcher", path, problems);
    RbacEngine shadow = engine(c.hasShadowRules(), c.getShadowRules(), c.hasShadowMatcher(), c.getShadowMatcher(),
        "shadow_rules", "shadow_matcher", path, problems);
    if (problems.list().size() > before) {
      return null;
    }
    return new RbacFilterConfig(engine, shadow, stats, c.getStatPrefix(), "", c.getShadowRulesStatPrefix());
  }

  private static RbacEngine engine(boolean hasRules, io.envoyproxy.envoy.config.rbac.v3.RBAC rules,
      boolean hasMatcher, com.github.xds.type.matcher.v3.Matcher matcher, String rulesField,
      String matcherField, ConfigPath path, ConfigProblems problems) {
    if (hasRules && hasMatcher) {
      problems.add(path, rulesField + " and " + matcherField + " are both set (expected: at most one)");
      return null;
    }
    if (hasRules) {
      return RbacEngine.compile(rules, path.field(rulesField), problems);
    }
    if (hasMatcher) {
      return RbacEngine.compileMatcher(matcher, path.field(matcherField), problems);
    }
    return null; // Envoy: absent rules enforce nothing
  }

  /** Envoy's statPrefixJoin: joins with a dot unless the prefix is empty or already ends in one. */
  static String statPrefixJoin(String prefix, String rest) {
    if (prefix.isEmpty()) {
      return rest;
    }
    return prefix.endsWith(".") ? prefix + rest : prefix + "." + rest;
  }

  /** Evaluates the shadow rules (if any), then the enforced rules, counting both. */
  public Check check(RbacRequest r) {
    RbacDecision s = null;
    if (shadow != null) {
      s = shadow.evaluate(r);
      (s.allowed() ? shadowAllowed : shadowDenied).inc();
    }
    if (engine == null) {
      return new Check(NOT_ENFORCED, s);
    }
    RbacDecision d = engine.evaluate(r);
    (d.allowed() ? allowed : denied).inc();
    return new Check(d, s);
  }

  /** Whether enforced rules are configured (Envoy skips the filter, and its stats, otherwise). */
  public boolean enforces() {
    return engine != null;
  }
}
