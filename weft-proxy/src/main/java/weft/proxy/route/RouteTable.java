package weft.proxy.route;

import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/**
 * A compiled {@code envoy.config.route.v3.RouteConfiguration}: virtual hosts selected by domain,
 * routes tried in order (first match wins), each with a precomputed action. Immutable and shared
 * by every event loop; {@link #route} takes no locks and allocates only redirects, direct
 * responses with a Location, and {@code cluster_header} results.
 */
public final class RouteTable {
  /** A compiled virtual host; {@code requireTls} is require_tls (NONE, EXTERNAL_ONLY or ALL). */
  record Host(String name, RouteRule[] routes, VirtualHost.TlsRequirementType requireTls) {}

  private final String name;
  private final DomainIndex<Host> hosts;
  private final Set<String> clusterNames;
  private final boolean validateClusters;

  private RouteTable(String name, DomainIndex<Host> hosts, Set<String> clusterNames, boolean validateClusters) {
    this.name = name;
    this.hosts = hosts;
    this.clusterNames = clusterNames;
    this.validateClusters = validateClusters;
  }

  /**
   * Compiles {@code rc}; every problem is recorded in {@code problems} with its path. Returns null
   * when there was any problem in this route configuration.
   */
  public static RouteTable compile(RouteConfiguration rc, ConfigPath path, ConfigProblems problems) {
    int before = problems.list().size();
    SupportedFields.check(rc, path, problems,
        "name", "virtual_hosts", "request_headers_to_add", "request_headers_to_remove",
        "response_headers_to_add", "response_headers_to_remove",
        "most_specific_header_mutations_wins", "validate_clusters",
        "max_direct_response_body_size_bytes", "ignore_port_in_host_matching", "metadata",
        "request_mirror_policies");
    List<MirrorPolicy> cfgMirrors = RouteCompiler.mirrorPolicies(
        rc.getRequestMirrorPoliciesList(), path.field("request_mirror_policies"), problems);
    HeaderMutations.Level cfgReq = HeaderMutations.compileLevel(
        rc.getRequestHeadersToAddList(), rc.getRequestHeadersToRemoveList(),
        path.field("request_headers_to_add"), path.field("request_headers_to_remove"), problems);
    HeaderMutations.Level cfgResp = HeaderMutations.compileLevel(
        rc.getResponseHeadersToAddList(), rc.getResponseHeadersToRemoveList(),
        path.field("response_headers_to_add"), path.field("response_headers_to_remove"), problems);
    long maxBody = rc.hasMaxDirectResponseBodySizeBytes()
        ? Integer.toUnsignedLong(rc.getMaxDirectResponseBodySizeBytes().getValue()) : 4096;
    DomainIndex.Builder<Host> index = new DomainIndex.Builder<>();
    Set<String> vhostNames = new HashSet<>();
    Set<String> clusters = new LinkedHashSet<>();
    for (int i = 0; i < rc.getVirtualHostsCount(); i++) {
      VirtualHost vh = rc.getVirtualHosts(i);
      ConfigPath vp = path.field("virtual_hosts").index(i);
      if (!vhostNames.add(vh.getName())) {
        problems.add(vp.field("name"), "duplicate virtual host name '" + vh.getName() + "'");
      }
      Host host = compileHost(vh, rc.getMostSpecificHeaderMutationsWins(), cfgReq, cfgResp, cfgMirrors,
          maxBody, clusters, vp, problems);
      if (vh.getDomainsCount() == 0) {
        problems.add(vp.field("domains"), "must not be empty");
      }
      for (int d = 0; d < vh.getDomainsCount(); d++) {
        String domain = vh.getDomains(d);
        ConfigPath dp = vp.field("domains").index(d);
        if (domain.isEmpty() || domain.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
          problems.add(dp, "\"" + domain + "\" is not a valid domain (expected: no spaces or control characters)");
          continue;
        }
        String owner = index.add(domain, host, vh.getName());
        if (owner != null) {
          problems.add(dp, "domain '" + domain + "' is already used by virtual host '" + owner
              + "' (domains must be unique across the route configuration)");
        }
      }
    }
    if (problems.list().size() > before) {
      return null;
    }
    return new RouteTable(rc.getName(), index.build(rc.getIgnorePortInHostMatching()),
        Set.copyOf(clusters), rc.hasValidateClusters() && rc.getValidateClusters().getValue());
  }

  private static Host compileHost(VirtualHost vh, boolean mostSpecificWins, HeaderMutations.Level cfgReq,
      HeaderMutations.Level cfgResp, List<MirrorPolicy> cfgMirrors, long maxBody, Set<String> clusters,
      ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(vh, path, problems,
        "name", "domains", "routes", "require_tls", "request_headers_to_add",
        "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove",
        "retry_policy", "request_mirror_policies", "metadata");
    VirtualHost.TlsRequirementType requireTls = vh.getRequireTls();
    if (requireTls == VirtualHost.TlsRequirementType.UNRECOGNIZED) {
      problems.unsupported(path.field("require_tls"), "require_tls " + vh.getRequireTlsValue());
    }
    RetryPolicy vhRetry = vh.hasRetryPolicy()
        ? RetryPolicy.compile(vh.getRetryPolicy(), path.field("retry_policy"), problems)
        : RetryPolicy.NONE;
    RouteCompiler.Context ctx = new RouteCompiler.Context(vh.getName(), mostSpecificWins, cfgReq, cfgResp,
        HeaderMutations.compileLevel(vh.getRequestHeadersToAddList(), vh.getRequestHeadersToRemoveList(),
            path.field("request_headers_to_add"), path.field("request_headers_to_remove"), problems),
        HeaderMutations.compileLevel(vh.getResponseHeadersToAddList(), vh.getResponseHeadersToRemoveList(),
            path.field("response_headers_to_add"), path.field("response_headers_to_remove"), problems),
        vhRetry,
        vh.getRequestMirrorPoliciesCount() == 0 ? cfgMirrors : RouteCompiler.mirrorPolicies(
            vh.getRequestMirrorPoliciesList(), path.field("request_mirror_policies"), problems),
        maxBody);
    List<RouteRule> rules = new ArrayList<>();
    for (int i = 0; i < vh.getRoutesCount(); i++) {
      RouteRule rule = RouteCompiler.compile(vh.getRoutes(i), ctx, path.field("routes").index(i), problems);
      if (rule != null) {
        rules.add(rule);
        if (rule.action() instanceof RouteRule.ForwardAction f) {
          clusters.addAll(f.entry().clusterNames());
        }
      }
    }
    return new Host(vh.getName(), rules.toArray(RouteRule[]::new), requireTls);
  }

  /** The route configuration's name. */
  public String name() {
    return name;
  }

  /** Every cluster named statically by a route (for {@code validate_clusters} and CDS linking). */
  public Set<String> clusterNames() {
    return clusterNames;
  }

  /** Whether the configuration asked for its clusters to be checked against the cluster manager. */
  public boolean validateClusters() {
    return validateClusters;
  }

  /** Routes {@code req} with a fresh random value for weighted clusters. */
  public RouteResult route(RouteRequest req) {
    return route(req, ThreadLocalRandom.current().nextLong());
  }

  /**
   * Routes {@code req}. {@code random} drives the weighted cluster choice (Envoy uses the
   * stream's random value); pass a fixed value for deterministic tests. Called on the stream's
   * event loop; never blocks.
   */
  public RouteResult route(RouteRequest req, long random) {
    Host host = hosts.find(req.authority());
    if (host == null) {
      return RouteResult.NoRoute.INSTANCE;
    }
    if (needsTlsRedirect(host.requireTls(), req)) {
      return new RouteResult.Redirect(301, Redirector.httpsLocation(req), HeaderMutations.NONE);
    }
    for (RouteRule rule : host.routes()) {
      if (rule.matcher().matches(req)) {
        return rule.result(req, random);
      }
    }
    return RouteResult.NoRoute.INSTANCE;
  }

  /**
   * require_tls: ALL redirects every plain request; EXTERNAL_ONLY only those without {@code
   * x-envoy-internal: true}, which the connection manager sets, and strips from untrusted
   * clients, as Envoy does.
   */
  private static boolean needsTlsRedirect(VirtualHost.TlsRequirementType t, RouteRequest req) {
    return switch (t) {
      case NONE, UNRECOGNIZED -> false;
      case ALL -> !"https".equals(req.scheme());
      case EXTERNAL_ONLY -> !"https".equals(req.scheme()) && !"true".equals(req.header("x-envoy-internal"));
    };
  }

  /** The name of the virtual host {@code authority} selects, or null (for logs and tests). */
  public String virtualHostName(String authority) {
    Host h = hosts.find(authority);
    return h == null ? null : h.name();
  }
}
