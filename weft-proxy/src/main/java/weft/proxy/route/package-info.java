/**
 * Route tables: Envoy v3 {@code RouteConfiguration} compiled into an immutable {@link
 * weft.proxy.route.RouteTable} that the HTTP connection manager consults once per request.
 *
 * <p>Entry points: {@link weft.proxy.route.RouteTable#compile} (translate; every problem names its
 * field) and {@link weft.proxy.route.RouteTable#route} (on the event loop; returns a sealed
 * {@link weft.proxy.route.RouteResult}). The router reads the chosen {@link
 * weft.proxy.route.RouteEntry}: rewrites, timeouts, {@link weft.proxy.route.RetryPolicy}, {@link
 * weft.proxy.route.HashPolicy}, {@link weft.proxy.route.MirrorPolicy} and {@link
 * weft.proxy.route.HeaderMutations}.
 *
 * <p>Files: {@code RouteTable} (route configuration, virtual hosts), {@code DomainIndex} (virtual
 * host by domain), {@code RouteCompiler} (one route and its action), {@code RouteMatcher} (path,
 * headers, query, grpc), {@code RouteRule} (matcher + action), {@code RouteEntry} and {@code
 * ClusterChoice} (forwarding), {@code Redirector} (redirect Location), {@code PathRewrite}
 * (prefix/regex rewrite), {@code HeaderMutations} and {@code HeaderValueTemplate} (custom headers
 * with %VARIABLES%), {@code RetryPolicy}, {@code HashPolicy}, {@code MirrorPolicy}.
 */
package weft.proxy.route;
