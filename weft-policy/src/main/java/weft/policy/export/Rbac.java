package weft.policy.export;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.CidrRange;
import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.type.matcher.v3.PathMatcher;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import io.envoyproxy.envoy.type.v3.Int32Range;
import java.util.List;
import weft.policy.model.Cidr;
import weft.policy.model.IstioString;

/** Small constructors for Envoy RBAC principals, permissions and matchers. */
final class Rbac {
  private Rbac() {}

  static final Principal ANY_PRINCIPAL = Principal.newBuilder().setAny(true).build();
  static final Permission ANY_PERMISSION = Permission.newBuilder().setAny(true).build();
  static final Principal NO_PRINCIPAL = Principal.newBuilder().setNotId(ANY_PRINCIPAL).build();
  static final Permission NO_PERMISSION = Permission.newBuilder().setNotRule(ANY_PERMISSION).build();

  static Principal or(List<Principal> ids) {
    if (ids.isEmpty()) return NO_PRINCIPAL;
    if (ids.size() == 1) return ids.get(0);
    return Principal.newBuilder().setOrIds(Principal.Set.newBuilder().addAllIds(ids)).build();
  }

  static Principal and(List<Principal> ids) {
    if (ids.isEmpty()) return ANY_PRINCIPAL;
    if (ids.size() == 1) return ids.get(0);
    return Principal.newBuilder().setAndIds(Principal.Set.newBuilder().addAllIds(ids)).build();
  }

  static Principal not(Principal p) {
    return Principal.newBuilder().setNotId(p).build();
  }

  static Permission or(List<Permission> rules, boolean unused) {
    if (rules.isEmpty()) return NO_PERMISSION;
    if (rules.size() == 1) return rules.get(0);
    return Permission.newBuilder().setOrRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }

  static Permission andRules(List<Permission> rules) {
    if (rules.isEmpty()) return ANY_PERMISSION;
    if (rules.size() == 1) return rules.get(0);
    return Permission.newBuilder().setAndRules(Permission.Set.newBuilder().addAllRules(rules)).build();
  }

  static Permission not(Permission p) {
    return Permission.newBuilder().setNotRule(p).build();
  }

  static CidrRange range(Cidr c) {
    return CidrRange.newBuilder()
        .setAddressPrefix(c.base().toString())
        .setPrefixLen(UInt32Value.of(c.prefix()))
        .build();
  }

  static Principal directIp(Cidr c) {
    return Principal.newBuilder().setDirectRemoteIp(range(c)).build();
  }

  static Principal remoteIp(Cidr c) {
    return Principal.newBuilder().setRemoteIp(range(c)).build();
  }

  static Permission destinationIp(Cidr c) {
    return Permission.newBuilder().setDestinationIp(range(c)).build();
  }

  /** Ports {@code first..last} inclusive. */
  static Permission ports(int first, int last) {
    if (first == last) return Permission.newBuilder().setDestinationPort(first).build();
    if (first == 0 && last == 65535) return ANY_PERMISSION;
    return Permission.newBuilder()
        .setDestinationPortRange(Int32Range.newBuilder().setStart(first).setEnd(last + 1))
        .build();
  }

  static StringMatcher exact(String s) {
    return StringMatcher.newBuilder().setExact(s).build();
  }

  static StringMatcher regex(String re) {
    return StringMatcher.newBuilder()
        .setSafeRegex(RegexMatcher.newBuilder().setRegex(re))
        .build();
  }

  /** Istio's exact / prefix / suffix / presence as an Envoy string matcher. */
  static StringMatcher istio(IstioString s, String prefix) {
    StringMatcher.Builder b = StringMatcher.newBuilder().setIgnoreCase(s.ignoreCase());
    return switch (s.kind()) {
      case EXACT -> b.setExact(prefix + s.text()).build();
      case PREFIX -> b.setPrefix(prefix + s.text()).build();
      case SUFFIX -> prefix.isEmpty() ? b.setSuffix(s.text()).build()
          : b.setSafeRegex(RegexMatcher.newBuilder().setRegex(quote(prefix) + ".*" + quote(s.text()))).build();
      case PRESENCE -> prefix.isEmpty() ? b.setSafeRegex(RegexMatcher.newBuilder().setRegex(".+")).build()
          : b.setPrefix(prefix).build();
    };
  }

  static Permission header(String name, StringMatcher m) {
    return Permission.newBuilder()
        .setHeader(HeaderMatcher.newBuilder().setName(name).setStringMatch(m))
        .build();
  }

  static Permission headerPresent(String name) {
    return Permission.newBuilder()
        .setHeader(HeaderMatcher.newBuilder().setName(name).setPresentMatch(true))
        .build();
  }

  static Permission urlPath(StringMatcher m) {
    return Permission.newBuilder().setUrlPath(PathMatcher.newBuilder().setPath(m)).build();
  }

  static Principal authenticated(StringMatcher m) {
    return Principal.newBuilder()
        .setAuthenticated(Principal.Authenticated.newBuilder().setPrincipalName(m))
        .build();
  }

  /** Any authenticated (mTLS) peer. */
  static Principal authenticated() {
    return Principal.newBuilder().setAuthenticated(Principal.Authenticated.getDefaultInstance()).build();
  }

  /** RE2 quoting of a literal. */
  static String quote(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      if ("\\.+*?()|[]{}^$".indexOf(c) >= 0) sb.append('\\');
      sb.append(c);
    }
    return sb.toString();
  }
}
