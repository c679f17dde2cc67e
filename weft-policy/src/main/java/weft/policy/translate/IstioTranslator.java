package weft.policy.translate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.AuthorizationPolicy;
import weft.api.PeerAuthentication;
import weft.api.istio.AuthorizationRule;
import weft.api.istio.Condition;
import weft.api.istio.MtlsMode;
import weft.api.istio.Operation;
import weft.api.istio.Source;
import weft.api.meta.Cidr;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Clause;
import weft.policy.model.Clause.Attribute;
import weft.policy.model.Dialect;
import weft.policy.model.IstioString;
import weft.policy.model.LabelSelector;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.PolicyRef;

/**
 * Istio AuthorizationPolicy and PeerAuthentication -> IR (istio.io "Authorization Policy"
 * reference): each non-empty field of a source/operation, and each {@code when} condition, becomes a
 * clause; {@code notX} fields become negated clauses.
 */
final class IstioTranslator {
  private IstioTranslator() {}

  static AuthzPolicy translate(AuthorizationPolicy ap) {
    PolicyRef ref = new PolicyRef(Dialect.ISTIO, "AuthorizationPolicy", ap.metadata().namespace(), ap.metadata().name());
    AuthzPolicy.AuthzAction action = switch (ap.action()) {
      case ALLOW -> AuthzPolicy.AuthzAction.ALLOW;
      case DENY -> AuthzPolicy.AuthzAction.DENY;
      case AUDIT -> AuthzPolicy.AuthzAction.AUDIT;
    };
    List<AuthzPolicy.AuthzRule> rules = new ArrayList<>();
    for (int i = 0; i < ap.rules().size(); i++) {
      AuthorizationRule r = ap.rules().get(i);
      String path = "spec.rules[" + i + "]";
      List<List<Clause>> from = new ArrayList<>();
      for (int j = 0; j < r.from().size(); j++) from.add(source(r.from().get(j), path + ".from[" + j + "].source"));
      List<List<Clause>> to = new ArrayList<>();
      for (int j = 0; j < r.to().size(); j++) to.add(operation(r.to().get(j), path + ".to[" + j + "].operation"));
      List<Clause> when = new ArrayList<>();
      for (int j = 0; j < r.when().size(); j++) when.addAll(condition(r.when().get(j), path + ".when[" + j + "]"));
      rules.add(new AuthzPolicy.AuthzRule(path, from, to, when));
    }
    Optional<LabelSelector> selector = ap.selector().isEmpty() ? Optional.empty() : Optional.of(LabelSelector.matchLabels(ap.selector()));
    return new AuthzPolicy(ref, action, selector, rules);
  }

  static MtlsPolicy translate(PeerAuthentication pa) {
    PolicyRef ref = new PolicyRef(Dialect.ISTIO, "PeerAuthentication", pa.metadata().namespace(), pa.metadata().name());
    Map<Integer, MtlsPolicy.Mode> ports = new HashMap<>();
    pa.portLevelMtls().forEach((p, m) -> ports.put(p, mode(m)));
    Optional<LabelSelector> selector = pa.selector().isEmpty() ? Optional.empty() : Optional.of(LabelSelector.matchLabels(pa.selector()));
    return new MtlsPolicy(ref, selector, mode(pa.mode()), ports);
  }

  private static MtlsPolicy.Mode mode(MtlsMode m) {
    return switch (m) {
      case UNSET -> MtlsPolicy.Mode.UNSET;
      case DISABLE -> MtlsPolicy.Mode.DISABLE;
      case PERMISSIVE -> MtlsPolicy.Mode.PERMISSIVE;
      case STRICT -> MtlsPolicy.Mode.STRICT;
    };
  }

  private static List<Clause> source(Source s, String p) {
    List<Clause> c = new ArrayList<>();
    strings(c, p + ".principals", Attribute.PRINCIPAL, s.principals(), false);
    strings(c, p + ".notPrincipals", Attribute.PRINCIPAL, s.notPrincipals(), true);
    strings(c, p + ".requestPrincipals", Attribute.REQUEST_PRINCIPAL, s.requestPrincipals(), false);
    strings(c, p + ".notRequestPrincipals", Attribute.REQUEST_PRINCIPAL, s.notRequestPrincipals(), true);
    strings(c, p + ".namespaces", Attribute.NAMESPACE, s.namespaces(), false);
    strings(c, p + ".notNamespaces", Attribute.NAMESPACE, s.notNamespaces(), true);
    cidrs(c, p + ".ipBlocks", Attribute.SOURCE_IP, s.ipBlocks(), false);
    cidrs(c, p + ".notIpBlocks", Attribute.SOURCE_IP, s.notIpBlocks(), true);
    cidrs(c, p + ".remoteIpBlocks", Attribute.REMOTE_IP, s.remoteIpBlocks(), false);
    cidrs(c, p + ".notRemoteIpBlocks", Attribute.REMOTE_IP, s.notRemoteIpBlocks(), true);
    return c;
  }

  private static List<Clause> operation(Operation o, String p) {
    List<Clause> c = new ArrayList<>();
    strings(c, p + ".hosts", Attribute.HOST, o.hosts(), false);
    strings(c, p + ".notHosts", Attribute.HOST, o.notHosts(), true);
    ports(c, p + ".ports", o.ports(), false);
    ports(c, p + ".notPorts", o.notPorts(), true);
    strings(c, p + ".methods", Attribute.METHOD, o.methods(), false);
    strings(c, p + ".notMethods", Attribute.METHOD, o.notMethods(), true);
    strings(c, p + ".paths", Attribute.PATH, o.paths(), false);
    strings(c, p + ".notPaths", Attribute.PATH, o.notPaths(), true);
    return c;
  }

  private static List<Clause> condition(Condition w, String p) {
    Attribute a = switch (w.key().attribute()) {
      case REQUEST_HEADERS -> Attribute.HEADER;
      case SOURCE_IP -> Attribute.SOURCE_IP;
      case REMOTE_IP -> Attribute.REMOTE_IP;
      case SOURCE_NAMESPACE -> Attribute.NAMESPACE;
      case SOURCE_PRINCIPAL -> Attribute.PRINCIPAL;
      case REQUEST_AUTH_PRINCIPAL -> Attribute.REQUEST_PRINCIPAL;
      case REQUEST_AUTH_CLAIMS -> Attribute.CLAIM;
      case DESTINATION_IP -> Attribute.DESTINATION_IP;
      case DESTINATION_PORT -> Attribute.PORT;
      case CONNECTION_SNI -> Attribute.SNI;
    };
    String key = w.key().parameter().orElse("");
    List<Clause> c = new ArrayList<>();
    for (boolean not : new boolean[] {false, true}) {
      List<String> vs = not ? w.notValues() : w.values();
      if (vs.isEmpty()) continue;
      String path = p + (not ? ".notValues" : ".values");
      Clause.Values values = switch (a) {
        case SOURCE_IP, REMOTE_IP, DESTINATION_IP ->
            new Clause.Values.Cidrs(vs.stream().map(v -> Addresses.cidr(Cidr.parseAddressOrCidr(v))).toList());
        case PORT -> new Clause.Values.Ports(new HashSet<>(vs.stream().map(Integer::parseInt).toList()));
        default -> new Clause.Values.Strings(vs.stream().map(v -> IstioString.parse(v, false)).toList());
      };
      c.add(new Clause(path, a, key, values, not));
    }
    return c;
  }

  private static void strings(List<Clause> out, String path, Attribute a, List<String> values, boolean not) {
    if (values.isEmpty()) return;
    boolean ignoreCase = a == Attribute.HOST;
    out.add(new Clause(path, a, "", new Clause.Values.Strings(values.stream().map(v -> IstioString.parse(v, ignoreCase)).toList()), not));
  }

  private static void cidrs(List<Clause> out, String path, Attribute a, List<Cidr> values, boolean not) {
    if (values.isEmpty()) return;
    out.add(new Clause(path, a, "", new Clause.Values.Cidrs(values.stream().map(Addresses::cidr).toList()), not));
  }

  private static void ports(List<Clause> out, String path, List<Integer> values, boolean not) {
    if (values.isEmpty()) return;
    out.add(new Clause(path, Attribute.PORT, "", new Clause.Values.Ports(new HashSet<>(values)), not));
  }
}
