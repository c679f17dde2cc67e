package weft.proxy.route;

import io.envoyproxy.envoy.config.route.v3.RedirectAction;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code RedirectAction}: computes the Location of a redirect as Envoy's
 * {@code Http::Utility::newUri} does.
 *
 * <ul>
 *   <li>scheme: {@code scheme_redirect}, else {@code https} for {@code https_redirect}, else the
 *       request's;
 *   <li>host: {@code host_redirect}, else the request's authority; a {@code port_redirect}
 *       replaces the request's port; a request port that is the default for the request's scheme
 *       is dropped when the scheme changes;
 *   <li>path: {@code path_redirect} (keeping the request's query unless it has its own), or the
 *       request path after {@code prefix_rewrite}/{@code regex_rewrite}; {@code strip_query}
 *       removes the query unless it came from {@code path_redirect}.
 * </ul>
 */
final class Redirector {
  private final String scheme; // null: keep the request's
  private final String host; // null: keep
  private final String port; // ":8443" or null
  private final String pathRedirect; // null unless path_redirect
  private final boolean pathRedirectHasQuery;
  private final PathRewrite rewrite; // null unless prefix_rewrite / regex_rewrite
  private final boolean stripQuery;
  private final int status;

  private Redirector(String scheme, String host, String port, String pathRedirect,
      PathRewrite rewrite, boolean stripQuery, int status) {
    this.scheme = scheme;
    this.host = host;
    this.port = port;
    this.pathRedirect = pathRedirect;
    this.pathRedirectHasQuery = pathRedirect != null && pathRedirect.indexOf('?') >= 0;
    this.rewrite = rewrite;
    this.stripQuery = stripQuery;
    this.status = status;
  }

  static Redirector compile(RedirectAction r, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(r, path, problems,
        "https_redirect", "scheme_redirect", "host_redirect", "port_redirect", "path_redirect",
        "prefix_rewrite", "regex_rewrite", "response_code", "strip_query");
    String scheme = switch (r.getSchemeRewriteSpecifierCase()) {
      case HTTPS_REDIRECT -> r.getHttpsRedirect() ? "https" : null;
      case SCHEME_REDIRECT -> r.getSchemeRedirect().isEmpty() ? null : r.getSchemeRedirect().toLowerCase(Locale.ROOT);
      case SCHEMEREWRITESPECIFIER_NOT_SET -> null;
    };
    String pathRedirect = null;
    PathRewrite rewrite = null;
    switch (r.getPathRewriteSpecifierCase()) {
      case PATH_REDIRECT -> pathRedirect = r.getPathRedirect();
      case PREFIX_REWRITE -> rewrite = new PathRewrite.Prefix(r.getPrefixRewrite());
      case REGEX_REWRITE -> {
        rewrite = PathRewrite.compileRegex(r.getRegexRewrite(), path.field("regex_rewrite"), problems);
        if (rewrite == null) {
          return null;
        }
      }
      case PATHREWRITESPECIFIER_NOT_SET -> { }
    }
    int status = switch (r.getResponseCode()) {
      case MOVED_PERMANENTLY -> 301;
      case FOUND -> 302;
      case SEE_OTHER -> 303;
      case TEMPORARY_REDIRECT -> 307;
      case PERMANENT_REDIRECT -> 308;
      case UNRECOGNIZED -> {
        problems.unsupported(path.field("response_code"), "response_code " + r.getResponseCodeValue());
        yield 301;
      }
    };
    if (r.getPortRedirect() > 65535) {
      problems.add(path.field("port_redirect"), r.getPortRedirect() + " is not a port (expected: <= 65535)");
    }
    return new Redirector(scheme,
        r.getHostRedirect().isEmpty() ? null : r.getHostRedirect(),
        r.getPortRedirect() == 0 ? null : ":" + r.getPortRedirect(),
        pathRedirect, rewrite, r.getStripQuery(), status);
  }

  /** The https redirect of {@code require_tls: ALL} (Envoy's SslRedirector: host kept as is). */
  static String httpsLocation(RouteRequest req) {
    return "https://" + nullToEmpty(req.authority()) + nullToEmpty(req.path());
  }

  int status() {
    return status;
  }

  String location(RouteRequest req, RouteMatcher matcher) {
    String reqScheme = req.scheme() == null ? "http" : req.scheme();
    String finalScheme = scheme != null ? scheme : reqScheme;
    String authority = nullToEmpty(req.authority());
    String finalHost;
    String finalPort = "";
    if (port != null) {
      finalHost = stripPort(authority);
      finalPort = port;
    } else {
      finalHost = processRequestHost(authority, reqScheme, finalScheme);
    }
    if (host != null) {
      finalHost = host;
    }
    String reqPath = nullToEmpty(req.path());
    String finalPath;
    if (pathRedirect != null) {
      if (pathRedirectHasQuery) {
        finalPath = pathRedirect;
      } else {
        int q = reqPath.indexOf('?');
        finalPath = q >= 0 ? pathRedirect + reqPath.substring(q) : pathRedirect;
      }
    } else if (rewrite != null) {
      finalPath = rewrite.apply(reqPath, matcher.matchedLength(reqPath));
    } else {
      finalPath = reqPath;
    }
    if (!finalPath.startsWith("/")) {
      finalPath = "/" + finalPath;
    }
    if (stripQuery && !pathRedirectHasQuery) {
      int q = finalPath.indexOf('?');
      if (q >= 0) {
        finalPath = finalPath.substring(0, q);
      }
    }
    return finalScheme + "://" + finalHost + finalPort + finalPath;
  }

  /**
   * The location of a 201/3xx direct response: the request's own URL (newUri without a redirect
   * config).
   */
  static String selfLocation(RouteRequest req) {
    String s = req.scheme() == null ? "http" : req.scheme();
    String p = nullToEmpty(req.path());
    return s + "://" + nullToEmpty(req.authority()) + (p.startsWith("/") ? p : "/" + p);
  }

  /** Envoy's processRequestHost: drop :80/:443 when the scheme changes away from it. */
  private static String processRequestHost(String authority, String reqScheme, String newScheme) {
    int portStart = portStart(authority);
    if (portStart < 0 || newScheme.equals(reqScheme)) {
      return authority;
    }
    String p = authority.substring(portStart);
    boolean defaultPort = ("https".equals(reqScheme) && p.equals(":443"))
        || ("http".equals(reqScheme) && p.equals(":80"));
    return defaultPort ? authority.substring(0, portStart) : authority;
  }

  private static String stripPort(String authority) {
    int p = portStart(authority);
    return p < 0 ? authority : authority.substring(0, p);
  }

  /** Index of the {@code :port} of an authority, or -1 (IPv6 literals are bracketed). */
  static int portStart(String authority) {
    int colon = authority.lastIndexOf(':');
    if (colon < 0) {
      return -1;
    }
    int v6End = authority.lastIndexOf(']');
    if (v6End < 0) {
      // an unbracketed IPv6 literal has several colons and no port
      return authority.indexOf(':') == colon ? colon : -1;
    }
    return v6End < colon ? colon : -1;
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
