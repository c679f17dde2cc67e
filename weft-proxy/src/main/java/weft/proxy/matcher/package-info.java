/**
 * Compiled Envoy matchers shared by routes, RBAC and TLS: {@link weft.proxy.matcher.StringMatcher},
 * {@link weft.proxy.matcher.HeaderMatcher} (route_components.proto HeaderMatcher), {@link
 * weft.proxy.matcher.QueryParameterMatcher}, {@link weft.proxy.matcher.PathMatcher}, and {@link
 * weft.proxy.matcher.HeaderSource}, the view of request headers (pseudo-headers resolved, repeated
 * headers joined with ",") they all read.
 */
package weft.proxy.matcher;
