package weft.proxy.route;

import com.google.protobuf.ByteString;

/** One compiled route of a virtual host: its matcher and what it does. */
record RouteRule(RouteMatcher matcher, Action action) {

  sealed interface Action {}

  record ForwardAction(RouteEntry entry) implements Action {}

  record RedirectAction(Redirector redirector, HeaderMutations responseHeaders) implements Action {}

  record DirectAction(int status, ByteString body, HeaderMutations responseHeaders, RouteResult fixed)
      implements Action {}

  RouteResult result(RouteRequest req, long random) {
    return switch (action) {
      case ForwardAction f -> f.entry().forward(req, random);
      case RedirectAction r -> new RouteResult.Redirect(
          r.redirector().status(), r.redirector().location(req, matcher), r.responseHeaders());
      case DirectAction d -> d.fixed() != null ? d.fixed()
          : new RouteResult.DirectResponse(d.status(), d.body(), Redirector.selfLocation(req), d.responseHeaders());
    };
  }
}
