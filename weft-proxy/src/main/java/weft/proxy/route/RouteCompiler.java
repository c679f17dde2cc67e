package weft.proxy.route;

import com.google.protobuf.ByteString;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.route.v3.DirectResponseAction;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/** Translates one {@code envoy.config.route.v3.Route} into a {@link RouteRule}. */
final class RouteCompiler {
  /** Envoy's default route timeout (RouteAction.timeout). */
  static final long DEFAULT_TIMEOUT_MILLIS = 15_000;

  /** What a route inherits from its virtual host and route configuration. */
  record Context(
      String virtualHostName,
      boolean mostSpecificHeaderMutationsWins,
      HeaderMutations.Level configRequest,
      HeaderMutations.Level configResponse,
      HeaderMutations.Level vhostRequest,
      HeaderMutations.Level vhostResponse,
      RetryPolicy vhostRetryPolicy,
      List<MirrorPolicy> inheritedMirrorPolicies,
      long maxDirectResponseBodyBytes) {}

  private RouteCompiler() {}

  static RouteRule compile(Route r, Context ctx, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(r, path, problems,
        "name", "match", "route", "redirect", "direct_response", "metadata",
        "request_headers_to_add", "request_headers_to_remove", "response_headers_to_add",
        "response_headers_to_remove");
    if (!r.hasMatch()) {
      problems.add(path.field("match"), "is required");
      return null;
    }
    RouteMatcher matcher = RouteMatcher.compile(r.getMatch(), path.field("match"), problems);
    HeaderMutations.Level reqLevel = HeaderMutations.compileLevel(
        r.getRequestHeadersToAddList(), r.getRequestHeadersToRemoveList(),
        path.field("request_headers_to_add"), path.field("request_headers_to_remove"), problems);
    HeaderMutations.Level respLevel = HeaderMutations.compileLevel(
        r.getResponseHeadersToAddList(), r.getResponseHeadersToRemoveList(),
        path.field("response_headers_to_add"), path.field("response_headers_to_remove"), problems);
    HeaderMutations request = HeaderMutations.of(
        ctx.mostSpecificHeaderMutationsWins(), ctx.configRequest(), ctx.vhostRequest(), reqLevel);
    HeaderMutations response = HeaderMutations.of(
        ctx.mostSpecificHeaderMutationsWins(), ctx.configResponse(), ctx.vhostResponse(), respLevel);
    RouteRule.Action action = switch (r.getActionCase()) {
      case ROUTE -> {
        RouteEntry e = compileForward(r, matcher, ctx, request, response, path.field("route"), problems);
        yield e == null ? null : new RouteRule.ForwardAction(e);
      }
      case REDIRECT -> {
        Redirector red = Redirector.compile(r.getRedirect(), path.field("redirect"), problems);
        yield red == null ? null : new RouteRule.RedirectAction(red, response);
      }
      case DIRECT_RESPONSE -> compileDirect(r.getDirectResponse(), response,
          ctx.maxDirectResponseBodyBytes(), path.field("direct_response"), problems);
      case FILTER_ACTION, NON_FORWARDING_ACTION -> {
        problems.unsupported(path, "route action " + r.getActionCase().name().toLowerCase(Locale.ROOT));
        yield null;
      }
      case ACTION_NOT_SET -> {
        problems.add(path, "one of route, redirect, direct_response is required");
        yield null;
      }
    };
    return matcher == null || action == null ? null : new RouteRule(matcher, action);
  }

  private static RouteRule.Action compileDirect(DirectResponseAction d, HeaderMutations response,
      long maxBody, ConfigPath path, ConfigProblems problems) {
    SupportedFields.check(d, path, problems, "status", "body");
    if (d.getStatus() < 200 || d.getStatus() > 599) {
      problems.add(path.field("status"), d.getStatus() + " is not a valid status (expected: 200 to 599)");
      return null;
    }
    ByteString body = ByteString.EMPTY;
    if (d.hasBody()) {
      DataSource ds = d.getBody();
      ConfigPath bp = path.field("body");
      SupportedFields.check(ds, bp, problems, "inline_string", "inline_bytes");
      body = switch (ds.getSpecifierCase()) {
        case INLINE_STRING -> ByteString.copyFrom(ds.getInlineString(), StandardCharsets.UTF_8);
        case INLINE_BYTES -> ds.getInlineBytes();
        case FILENAME, ENVIRONMENT_VARIABLE -> null; // already reported by SupportedFields
        case SPECIFIER_NOT_SET -> ByteString.EMPTY;
      };
      if (body == null) {
        return null;
      }
      if (body.size() > maxBody) {
        problems.add(bp, "body is " + body.size() + " bytes (expected: at most "
            + maxBody + ", max_direct_response_body_size_bytes)");
        return null;
      }
    }
    int s = d.getStatus();
    boolean needsLocation = s == 201 || (s >= 300 && s < 400);
    RouteResult fixed = needsLocation ? null : new RouteResult.DirectResponse(s, body, null, response);
    return new RouteRule.DirectAction(s, body, response, fixed);
  }

  private static RouteEntry compileForward(Route r, RouteMatcher matcher, Context ctx,
      HeaderMutations request, HeaderMutations response, ConfigPath path, ConfigProblems problems) {
    RouteAction a = r.getRoute();
    SupportedFields.check(a, path, problems,
        "cluster", "cluster_header", "weighted_clusters", "prefix_rewrite", "regex_rewrite",
        "host_rewrite_literal", "auto_host_rewrite", "host_rewrite_header", "timeout",
        "idle_timeout", "retry_policy", "request_mirror_policies", "hash_policy");
    ClusterChoice.Builder clusters = switch (a.getClusterSpecifierCase()) {
      case CLUSTER -> a.getCluster().isEmpty() ? missing(path.field("cluster"), problems)
          : ClusterChoice.Builder.single(a.getCluster());
      case CLUSTER_HEADER -> a.getClusterHeader().isEmpty() ? missing(path.field("cluster_header"), problems)
          : ClusterChoice.Builder.header(a.getClusterHeader().toLowerCase(Locale.ROOT));
      case WEIGHTED_CLUSTERS -> weighted(a.getWeightedClusters(), path.field("weighted_clusters"), problems);
      case CLUSTER_SPECIFIER_PLUGIN, INLINE_CLUSTER_SPECIFIER_PLUGIN -> {
        problems.unsupported(path, "cluster specifier plugin");
        yield null;
      }
      case CLUSTERSPECIFIER_NOT_SET -> {
        problems.add(path, "one of cluster, cluster_header, weighted_clusters is required");
        yield null;
      }
    };
    PathRewrite rewrite = null;
    if (!a.getPrefixRewrite().isEmpty() && a.hasRegexRewrite()) {
      problems.add(path, "prefix_rewrite and regex_rewrite are both set (expected: at most one)");
    } else if (!a.getPrefixRewrite().isEmpty()) {
      rewrite = new PathRewrite.Prefix(a.getPrefixRewrite());
    } else if (a.hasRegexRewrite()) {
      rewrite = PathRewrite.compileRegex(a.getRegexRewrite(), path.field("regex_rewrite"), problems);
    }
    RouteEntry.HostRewrite host = switch (a.getHostRewriteSpecifierCase()) {
      case HOST_REWRITE_LITERAL -> new RouteEntry.HostRewrite.Literal(a.getHostRewriteLiteral());
      case AUTO_HOST_REWRITE -> a.getAutoHostRewrite().getValue()
          ? new RouteEntry.HostRewrite.Auto() : RouteEntry.HostRewrite.NONE;
      case HOST_REWRITE_HEADER -> new RouteEntry.HostRewrite.FromHeader(
          a.getHostRewriteHeader().toLowerCase(Locale.ROOT));
      case HOST_REWRITE_PATH_REGEX -> {
        problems.unsupported(path.field("host_rewrite_path_regex"), "host_rewrite_path_regex");
        yield RouteEntry.HostRewrite.NONE;
      }
      case HOSTREWRITESPECIFIER_NOT_SET -> RouteEntry.HostRewrite.NONE;
    };
    long timeout = a.hasTimeout()
        ? RetryPolicy.millis(a.getTimeout(), path.field("timeout"), problems) : DEFAULT_TIMEOUT_MILLIS;
    long idle = a.hasIdleTimeout()
        ? RetryPolicy.millis(a.getIdleTimeout(), path.field("idle_timeout"), problems) : -1;
    // Envoy: a route-level retry policy replaces the virtual host's entirely
    RetryPolicy retry = a.hasRetryPolicy()
        ? RetryPolicy.compile(a.getRetryPolicy(), path.field("retry_policy"), problems)
        : ctx.vhostRetryPolicy();
    HashPolicy hash = HashPolicy.compile(a.getHashPolicyList(), path.field("hash_policy"), problems);
    // Envoy: the most specific non-empty list of mirror policies applies; lists are not merged
    List<MirrorPolicy> mirrors = a.getRequestMirrorPoliciesCount() == 0
        ? ctx.inheritedMirrorPolicies()
        : mirrorPolicies(a.getRequestMirrorPoliciesList(), path.field("request_mirror_policies"), problems);
    if (clusters == null || matcher == null) {
      return null;
    }
    return new RouteEntry(r.getName(), ctx.virtualHostName(), clusters, rewrite, matcher, host,
        timeout, idle, retry, hash, mirrors, request, response);
  }

  static List<MirrorPolicy> mirrorPolicies(
      List<RouteAction.RequestMirrorPolicy> list, ConfigPath path, ConfigProblems problems) {
    List<MirrorPolicy> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      MirrorPolicy m = MirrorPolicy.compile(list.get(i), path.index(i), problems);
      if (m != null) {
        out.add(m);
      }
    }
    return List.copyOf(out);
  }

  private static ClusterChoice.Builder missing(ConfigPath path, ConfigProblems problems) {
    problems.add(path, "must not be empty");
    return null;
  }

  @SuppressWarnings("deprecation") // total_weight is deprecated but must equal the sum when set
  private static ClusterChoice.Builder weighted(WeightedCluster w, ConfigPath path, ConfigProblems problems) {
    // runtime_key_prefix is accepted: weft has no runtime layer, so the configured weights
    // apply, as in an Envoy whose runtime does not set those keys
    SupportedFields.check(w, path, problems, "clusters", "total_weight", "runtime_key_prefix");
    if (w.getClustersCount() == 0) {
      problems.add(path.field("clusters"), "must not be empty");
      return null;
    }
    ClusterChoice.Builder b = ClusterChoice.Builder.weighted();
    long sum = 0;
    for (int i = 0; i < w.getClustersCount(); i++) {
      WeightedCluster.ClusterWeight c = w.getClusters(i);
      ConfigPath cp = path.field("clusters").index(i);
      SupportedFields.check(c, cp, problems, "name", "weight", "request_headers_to_add",
          "request_headers_to_remove", "response_headers_to_add", "response_headers_to_remove",
          "host_rewrite_literal");
      if (c.getName().isEmpty()) {
        problems.add(cp.field("name"), "must not be empty");
        return null;
      }
      long weight = c.hasWeight() ? Integer.toUnsignedLong(c.getWeight().getValue()) : 0;
      sum += weight;
      b.add(c.getName(), weight,
          HeaderMutations.compileLevel(c.getRequestHeadersToAddList(), c.getRequestHeadersToRemoveList(),
              cp.field("request_headers_to_add"), cp.field("request_headers_to_remove"), problems),
          HeaderMutations.compileLevel(c.getResponseHeadersToAddList(), c.getResponseHeadersToRemoveList(),
              cp.field("response_headers_to_add"), cp.field("response_headers_to_remove"), problems),
          c.getHostRewriteLiteral().isEmpty() ? null : c.getHostRewriteLiteral());
    }
    if (sum == 0 || sum > 0xFFFF_FFFFL) {
      problems.add(path.field("clusters"), "sum of weights is " + sum
          + " (expected: greater than 0 and at most 4294967295)");
      return null;
    }
    if (w.hasTotalWeight() && w.getTotalWeight().getValue() != sum) {
      problems.add(path.field("total_weight"), Integer.toUnsignedLong(w.getTotalWeight().getValue())
          + " is not the sum of the cluster weights " + sum);
      return null;
    }
    return b;
  }
}
