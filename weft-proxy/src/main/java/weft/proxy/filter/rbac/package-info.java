/**
 * Envoy RBAC: {@link weft.proxy.filter.rbac.RbacEngine} compiles {@code envoy.config.rbac.v3.RBAC}
 * (rules form: {@code RbacRuleCompiler}, {@code RbacRule}, {@code CidrMatcher}) or an xDS matcher
 * tree (matcher form: {@code MatcherEngine}, {@code MatchInput}) and evaluates an {@link
 * weft.proxy.filter.rbac.RbacRequest} to an {@link weft.proxy.filter.rbac.RbacDecision}. {@link
 * weft.proxy.filter.rbac.RbacFilterConfig} is the HTTP and network filter config: enforced and
 * shadow engines plus Envoy's {@code rbac.allowed/denied/shadow_allowed/shadow_denied} stats.
 * Pure logic: the connection manager and the network filter chain call it.
 */
package weft.proxy.filter.rbac;
