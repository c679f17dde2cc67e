package weft.proxy.route;

import com.google.protobuf.ByteString;

/** The outcome of {@link RouteTable#route}: what the router (or the connection manager) does next. */
public sealed interface RouteResult {

  /**
   * Forward upstream. {@code cluster} is the cluster chosen for this request (for weighted
   * clusters and {@code cluster_header}); it may name a cluster that does not exist, or be empty
   * when {@code cluster_header} is absent: the router then answers as Envoy does for an unknown
   * cluster (503, {@code cluster_not_found}).
   */
  record Forward(RouteEntry entry, String cluster) implements RouteResult {}

  /**
   * Answer with a redirect: {@code status} (301, 302, 303, 307 or 308) and a {@code Location}
   * header. {@code responseHeaders} are the route's response header mutations, to apply to the
   * local reply.
   */
  record Redirect(int status, String location, HeaderMutations responseHeaders)
      implements RouteResult {}

  /**
   * Answer locally with {@code status} and {@code body} (empty for none). {@code location} is
   * non-null for 201 and 3xx statuses (Envoy adds the request's own URL as Location then).
   */
  record DirectResponse(int status, ByteString body, String location, HeaderMutations responseHeaders)
      implements RouteResult {}

  /** No virtual host or no route matched: the connection manager answers 404. */
  record NoRoute() implements RouteResult {
    public static final NoRoute INSTANCE = new NoRoute();
  }
}
