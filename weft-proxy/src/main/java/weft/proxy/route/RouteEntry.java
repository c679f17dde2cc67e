package weft.proxy.route;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.util.List;
import java.util.Set;

/**
 * A route that forwards upstream: everything the router needs, compiled once. Immutable and
 * shared by all streams; the per-request parts ({@link #rewritePath}, {@link #hostRewrite},
 * header mutations, {@link HashPolicy#hash}) read the request and allocate only their result.
 *
 * <p>The router applies a route in Envoy's {@code finalizeRequestHeaders} order: request header
 * mutations, then the host rewrite, then the path rewrite (putting the original path in {@code
 * x-envoy-original-path} unless Envoy headers are suppressed).
 */
public final class RouteEntry {
  private final String name;
  private final String virtualHostName;
  private final ClusterChoice clusters; // on the route's own entry; weighted-cluster entries use root's
  private final RouteEntry root;
  private final PathRewrite pathRewrite; // null: none
  private final RouteMatcher matcher;
  private final HostRewrite hostRewrite;
  private final long timeoutMillis;
  private final long idleTimeoutMillis;
  private final RetryPolicy retryPolicy;
  private final HashPolicy hashPolicy;
  private final List<MirrorPolicy> mirrorPolicies;
  private final HeaderMutations requestHeaders;
  private final HeaderMutations responseHeaders;
  private final String clusterHost; // a weighted cluster's host_rewrite_literal, or null

  /** Host header rewrite: a literal, the chosen upstream host's name, a request header, or none. */
  public sealed interface HostRewrite {
    record None() implements HostRewrite {}

    record Literal(String host) implements HostRewrite {}

    /** auto_host_rewrite: the router sets Host to the selected upstream host's hostname. */
    record Auto() implements HostRewrite {}

    record FromHeader(String header) implements HostRewrite {}

    None NONE = new None();
  }

  RouteEntry(String name, String virtualHostName, ClusterChoice.Builder clusters,
      PathRewrite pathRewrite, RouteMatcher matcher, HostRewrite hostRewrite, long timeoutMillis,
      long idleTimeoutMillis, RetryPolicy retryPolicy, HashPolicy hashPolicy,
      List<MirrorPolicy> mirrorPolicies, HeaderMutations requestHeaders,
      HeaderMutations responseHeaders) {
    this.name = name;
    this.virtualHostName = virtualHostName;
    this.pathRewrite = pathRewrite;
    this.matcher = matcher;
    this.hostRewrite = hostRewrite;
    this.timeoutMillis = timeoutMillis;
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.retryPolicy = retryPolicy;
    this.hashPolicy = hashPolicy;
    this.mirrorPolicies = List.copyOf(mirrorPolicies);
    this.requestHeaders = requestHeaders;
    this.responseHeaders = responseHeaders;
    this.clusterHost = null;
    this.root = this;
    // last: weighted-cluster entries copy the fields above
    this.clusters = clusters.build(this);
  }

  /** The entry for one weighted cluster with its own header mutations or host rewrite. */
  private RouteEntry(RouteEntry parent, HeaderMutations.Level request, HeaderMutations.Level response,
      String clusterHost) {
    this.name = parent.name;
    this.virtualHostName = parent.virtualHostName;
    this.clusters = null;
    this.root = parent;
    this.pathRewrite = parent.pathRewrite;
    this.matcher = parent.matcher;
    this.hostRewrite = parent.hostRewrite;
    this.timeoutMillis = parent.timeoutMillis;
    this.idleTimeoutMillis = parent.idleTimeoutMillis;
    this.retryPolicy = parent.retryPolicy;
    this.hashPolicy = parent.hashPolicy;
    this.mirrorPolicies = parent.mirrorPolicies;
    this.requestHeaders = parent.requestHeaders.after(request);
    this.responseHeaders = parent.responseHeaders.after(response);
    this.clusterHost = clusterHost;
  }

  RouteEntry forCluster(HeaderMutations.Level request, HeaderMutations.Level response, String host) {
    return request.isEmpty() && response.isEmpty() && host == null
        ? this : new RouteEntry(this, request, response, host);
  }

  /** The route's {@code name} (may be empty). */
  public String name() {
    return name;
  }

  public String virtualHostName() {
    return virtualHostName;
  }

  /**
   * The path to send upstream, or null when this route does not rewrite it. {@code path} is the
   * request's raw path with query.
   */
  public String rewritePath(String path) {
    return pathRewrite == null ? null : pathRewrite.apply(path, matcher.matchedLength(path));
  }

  public HostRewrite hostRewrite() {
    return hostRewrite;
  }

  /**
   * The Host/:authority to send upstream for a literal or header host rewrite, or null to keep
   * the request's (and for {@link HostRewrite.Auto}, which needs the chosen upstream host). A
   * weighted cluster's {@code host_rewrite_literal} applies when the route's own gives none.
   * Envoy leaves the host intact when the named header is absent or empty.
   */
  public String rewrittenHost(RouteRequest req) {
    // a weighted cluster's literal is set first and the route's rewrite, if any, applies over it
    String h = routeHost(req);
    return h != null ? h : clusterHost;
  }

  private String routeHost(RouteRequest req) {
    return switch (hostRewrite) {
      case HostRewrite.None n -> null;
      case HostRewrite.Auto a -> null;
      case HostRewrite.Literal l -> l.host();
      case HostRewrite.FromHeader h -> {
        String v = req.headers() == null ? null : req.headers().get(h.header());
        yield v == null || v.isEmpty() ? null : v;
      }
    };
  }

  /** Whether the router must set Host to the selected upstream host's hostname. */
  public boolean autoHostRewrite() {
    return hostRewrite instanceof HostRewrite.Auto;
  }

  /** The whole-request timeout in ms; 0 disables it. Default 15 s. */
  public long timeoutMillis() {
    return timeoutMillis;
  }

  /** The stream idle timeout in ms; 0 disables it; -1 when unset (use the connection manager's). */
  public long idleTimeoutMillis() {
    return idleTimeoutMillis;
  }

  /** The route's retry policy, else the virtual host's, else {@link RetryPolicy#NONE}. */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  public HashPolicy hashPolicy() {
    return hashPolicy;
  }

  public List<MirrorPolicy> mirrorPolicies() {
    return mirrorPolicies;
  }

  /** Route-config, virtual-host and route request header mutations, in Envoy's order. */
  public HeaderMutations requestHeaderMutations() {
    return requestHeaders;
  }

  /** Route-config, virtual-host and route response header mutations, in Envoy's order. */
  public HeaderMutations responseHeaderMutations() {
    return responseHeaders;
  }

  /**
   * Applies this route to the upstream request head in Envoy's {@code finalizeRequestHeaders}
   * order: request header mutations, then a literal or header host rewrite, then the path rewrite,
   * recording the path as received in {@code x-envoy-original-path} when {@code
   * insertEnvoyOriginalPath} (the router's {@code suppress_envoy_headers} is off). {@code view}
   * must read the request as received: the path and host are taken before they are changed.
   * {@link #autoHostRewrite} is left to the router, which knows the chosen upstream host.
   */
  public void finalizeRequest(HttpRequest request, RouteRequest view, boolean insertEnvoyOriginalPath) {
    String originalPath = request.uri();
    String newPath = rewritePath(originalPath);
    String newHost = rewrittenHost(view);
    requestHeaders.apply(request.headers(), view);
    if (newHost != null) {
      request.headers().set(HttpHeaderNames.HOST, newHost);
    }
    if (newPath != null) {
      if (insertEnvoyOriginalPath) {
        request.headers().set("x-envoy-original-path", originalPath);
      }
      request.setUri(newPath);
    }
  }

  /** Every cluster this route can name statically (not those from cluster_header). */
  public Set<String> clusterNames() {
    return root.clusters.names();
  }

  RouteResult.Forward forward(RouteRequest req, long random) {
    return root.clusters.choose(req, random);
  }

  @Override
  public String toString() {
    return "route '" + name + "' " + matcher + " -> " + root.clusters;
  }
}
