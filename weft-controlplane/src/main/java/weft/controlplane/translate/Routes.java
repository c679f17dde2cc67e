package weft.controlplane.translate;

import com.google.protobuf.BoolValue;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.HeaderValue;
import io.envoyproxy.envoy.config.core.v3.HeaderValueOption;
import io.envoyproxy.envoy.config.core.v3.RuntimeFractionalPercent;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RetryPolicy;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.config.route.v3.WeightedCluster;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.VirtualService;
import weft.api.inventory.ServicePort;
import weft.api.traffic.Destination;
import weft.api.traffic.HeaderOperations;
import weft.api.traffic.HttpMatch;
import weft.api.traffic.HttpRoute;
import weft.api.traffic.StringMatch;
import weft.api.traffic.TrafficPolicy;

/** VirtualService HTTP routes to Envoy routes, as Istio's route translation does. */
final class Routes {
  /** Istio's default retry policy when a route sets no {@code retries}. */
  static final String DEFAULT_RETRY_ON = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

  private Routes() {}

  /** Resolves destinations to clusters and reports what cannot be routed. */
  interface Resolver {
    /** The cluster of a destination, or empty after reporting a problem. */
    Optional<String> cluster(Destination d, String vsNamespace, int defaultPort, String at);

    /** The consistent-hash key of a cluster's DestinationRule policy, if any. */
    Optional<TrafficPolicy.ConsistentHash> hash(String cluster);
  }

  /** The default route of a service port without a VirtualService: everything to its cluster. */
  static Route defaultRoute(String cluster, Optional<TrafficPolicy.ConsistentHash> hash) {
    RouteAction.Builder a = RouteAction.newBuilder().setCluster(cluster)
        .setTimeout(com.google.protobuf.Duration.getDefaultInstance())
        .setRetryPolicy(defaultRetries());
    hash.ifPresent(h -> a.addHashPolicy(hashPolicy(h)));
    return Route.newBuilder().setName("default").setMatch(RouteMatch.newBuilder().setPrefix("/")).setRoute(a).build();
  }

  /** The routes of a VirtualService for one service port (one Envoy route per match). */
  static List<Route> routes(VirtualService vs, ServicePort port, Resolver resolver, List<String> problems) {
    List<Route> out = new ArrayList<>();
    String label = "VirtualService " + vs.metadata().namespace() + "/" + vs.metadata().name();
    for (int i = 0; i < vs.http().size(); i++) {
      HttpRoute r = vs.http().get(i);
      String at = label + ": spec.http[" + i + "]";
      Optional<RouteAction> action = action(r, vs.metadata().namespace(), port.port(), resolver, problems, at);
      if (action.isEmpty()) {
        continue;
      }
      List<RouteMatch> matches = new ArrayList<>();
      if (r.match().isEmpty()) {
        matches.add(RouteMatch.newBuilder().setPrefix("/").build());
      }
      for (int m = 0; m < r.match().size(); m++) {
        matches.add(match(r.match().get(m)));
        if (r.rewrite().flatMap(HttpRoute.Rewrite::uri).isPresent()
            && r.match().get(m).uri().map(u -> u.type() == StringMatch.Type.REGEX).orElse(false)) {
          problems.add(at + ".rewrite.uri: a prefix rewrite needs an exact or prefix uri match, not regex (match[" + m + "])");
        }
      }
      for (int m = 0; m < matches.size(); m++) {
        Route.Builder route = Route.newBuilder()
            .setName(r.name().orElse(vs.metadata().namespace() + "." + vs.metadata().name() + "." + i) + (matches.size() > 1 ? "." + m : ""))
            .setMatch(matches.get(m))
            .setRoute(action.get());
        headers(r.headers(), route);
        if (r.route().size() == 1) {
          headers(r.route().get(0).headers(), route);
        }
        out.add(route.build());
      }
    }
    return out;
  }

  private static Optional<RouteAction> action(HttpRoute r, String ns, int port, Resolver resolver,
      List<String> problems, String at) {
    RouteAction.Builder a = RouteAction.newBuilder();
    int before = problems.size();
    if (r.route().size() == 1) {
      resolver.cluster(r.route().get(0).destination(), ns, port, at + ".route[0].destination").ifPresent(a::setCluster);
    } else {
      WeightedCluster.Builder w = WeightedCluster.newBuilder();
      for (int d = 0; d < r.route().size(); d++) {
        HttpRoute.RouteDestination rd = r.route().get(d);
        Optional<String> cluster = resolver.cluster(rd.destination(), ns, port, at + ".route[" + d + "].destination");
        if (cluster.isEmpty() || rd.weight() == 0) {
          continue; // weight 0 gets no traffic; Envoy refuses zero-weight clusters in some versions
        }
        WeightedCluster.ClusterWeight.Builder cw = WeightedCluster.ClusterWeight.newBuilder()
            .setName(cluster.get()).setWeight(UInt32Value.of(rd.weight()));
        cw.addAllRequestHeadersToAdd(options(rd.headers().request()))
            .addAllRequestHeadersToRemove(rd.headers().request().remove())
            .addAllResponseHeadersToAdd(options(rd.headers().response()))
            .addAllResponseHeadersToRemove(rd.headers().response().remove());
        w.addClusters(cw);
      }
      a.setWeightedClusters(w);
    }
    if (problems.size() > before) {
      return Optional.empty();
    }
    String first = a.hasWeightedClusters() ? a.getWeightedClusters().getClusters(0).getName() : a.getCluster();
    resolver.hash(first).ifPresent(h -> a.addHashPolicy(hashPolicy(h)));
    r.rewrite().ifPresent(rw -> {
      rw.uri().ifPresent(a::setPrefixRewrite);
      rw.authority().ifPresent(a::setHostRewriteLiteral);
    });
    // Istio: no timeout unless the route sets one (Envoy's default would be 15 s)
    a.setTimeout(Envoy.duration(r.timeout().orElse(java.time.Duration.ZERO)));
    if (r.retries().isEmpty()) {
      a.setRetryPolicy(defaultRetries());
    } else if (r.retries().get().attempts() > 0) {
      a.setRetryPolicy(retries(r.retries().get()));
    }
    r.mirror().ifPresent(m -> resolver.cluster(m, ns, port, at + ".mirror").ifPresent(c -> {
      RouteAction.RequestMirrorPolicy.Builder mp = RouteAction.RequestMirrorPolicy.newBuilder().setCluster(c);
      if (r.mirrorPercentage().isPresent()) {
        mp.setRuntimeFraction(RuntimeFractionalPercent.newBuilder().setDefaultValue(Envoy.percent(r.mirrorPercentage().get())));
      }
      a.addRequestMirrorPolicies(mp);
    }));
    return problems.size() > before ? Optional.empty() : Optional.of(a.build());
  }

  static RetryPolicy defaultRetries() {
    return RetryPolicy.newBuilder().setRetryOn(DEFAULT_RETRY_ON).setNumRetries(UInt32Value.of(2))
        .addRetriableStatusCodes(503).build();
  }

  /** Istio's retryOn: Envoy conditions, and bare status codes become retriable-status-codes. */
  static RetryPolicy retries(HttpRoute.Retries r) {
    RetryPolicy.Builder p = RetryPolicy.newBuilder().setNumRetries(UInt32Value.of(r.attempts()));
    r.perTryTimeout().ifPresent(d -> p.setPerTryTimeout(Envoy.duration(d)));
    List<String> on = new ArrayList<>();
    for (String part : r.retryOn().orElse(DEFAULT_RETRY_ON).split(",")) {
      String s = part.trim();
      if (s.isEmpty()) {
        continue;
      }
      if (s.chars().allMatch(Character::isDigit)) {
        p.addRetriableStatusCodes(Integer.parseInt(s));
        if (!on.contains("retriable-status-codes")) {
          on.add("retriable-status-codes");
        }
      } else if (!on.contains(s)) {
        on.add(s);
      }
    }
    if (r.retryOn().isEmpty()) {
      p.addRetriableStatusCodes(503);
    }
    return p.setRetryOn(String.join(",", on)).build();
  }

  static RouteMatch match(HttpMatch m) {
    RouteMatch.Builder b = RouteMatch.newBuilder();
    if (m.uri().isEmpty()) {
      b.setPrefix("/");
    } else {
      StringMatch u = m.uri().get();
      switch (u.type()) {
        case EXACT -> b.setPath(u.value());
        case PREFIX -> b.setPrefix(u.value());
        case REGEX -> b.setSafeRegex(RegexMatcher.newBuilder().setRegex(u.value()));
      }
    }
    if (m.ignoreUriCase()) {
      b.setCaseSensitive(BoolValue.of(false));
    }
    m.method().ifPresent(x -> b.addHeaders(header(":method", x)));
    for (Map.Entry<String, StringMatch> h : m.headers().entrySet()) {
      b.addHeaders(header(h.getKey(), h.getValue()));
    }
    return b.build();
  }

  static HeaderMatcher header(String name, StringMatch s) {
    StringMatcher.Builder sm = StringMatcher.newBuilder();
    switch (s.type()) {
      case EXACT -> sm.setExact(s.value());
      case PREFIX -> sm.setPrefix(s.value());
      case REGEX -> sm.setSafeRegex(RegexMatcher.newBuilder().setRegex(s.value()));
    }
    return HeaderMatcher.newBuilder().setName(name).setStringMatch(sm).build();
  }

  static io.envoyproxy.envoy.config.route.v3.RouteAction.HashPolicy hashPolicy(TrafficPolicy.ConsistentHash h) {
    var b = RouteAction.HashPolicy.newBuilder();
    switch (h) {
      case TrafficPolicy.ConsistentHash.Header x -> b.setHeader(RouteAction.HashPolicy.Header.newBuilder().setHeaderName(x.name()));
      case TrafficPolicy.ConsistentHash.Cookie x -> b.setCookie(RouteAction.HashPolicy.Cookie.newBuilder().setName(x.name()));
      case TrafficPolicy.ConsistentHash.SourceIp x ->
          b.setConnectionProperties(RouteAction.HashPolicy.ConnectionProperties.newBuilder().setSourceIp(true));
    }
    return b.build();
  }

  private static void headers(HeaderOperations.Headers h, Route.Builder r) {
    r.addAllRequestHeadersToAdd(options(h.request())).addAllRequestHeadersToRemove(h.request().remove())
        .addAllResponseHeadersToAdd(options(h.response())).addAllResponseHeadersToRemove(h.response().remove());
  }

  /** {@code set} overwrites, {@code add} appends (Istio's header operations). */
  static List<HeaderValueOption> options(HeaderOperations ops) {
    List<HeaderValueOption> out = new ArrayList<>();
    ops.set().forEach((k, v) -> out.add(HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(k).setValue(v))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.OVERWRITE_IF_EXISTS_OR_ADD).build()));
    ops.add().forEach((k, v) -> out.add(HeaderValueOption.newBuilder()
        .setHeader(HeaderValue.newBuilder().setKey(k).setValue(v))
        .setAppendAction(HeaderValueOption.HeaderAppendAction.APPEND_IF_EXISTS_OR_ADD).build()));
    return out;
  }
}
