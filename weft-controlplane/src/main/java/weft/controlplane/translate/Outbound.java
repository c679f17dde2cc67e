package weft.controlplane.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.config.route.v3.VirtualHost;
import io.envoyproxy.envoy.extensions.filters.common.fault.v3.FaultDelay;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.FaultAbort;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.http.router.v3.Router;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.Rds;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import weft.api.VirtualService;
import weft.api.Workload;
import weft.api.traffic.HttpMatch;
import weft.api.traffic.HttpRoute;
import weft.api.traffic.StringMatch;

/**
 * The outbound side: one HTTP listener on {@code address:outboundPort} routing by Host (RDS
 * {@code outbound}) to every service port, VirtualService faults as HCM fault filters.
 */
final class Outbound {
  static final String ROUTE_NAME = "outbound";
  static final String FAULT = "envoy.filters.http.fault";

  private Outbound() {}

  static Listener listener(Workload w, List<HTTPFault> faults, FlowLogs logs) {
    String address = w.addresses().get(0).getHostAddress();
    int port = w.proxy().outboundPort();
    HttpConnectionManager.Builder hcm = HttpConnectionManager.newBuilder()
        .setStatPrefix("outbound")
        .addAllAccessLog(logs.http(FlowLogs.OUTBOUND))
        .setRds(Rds.newBuilder().setConfigSource(Envoy.ads()).setRouteConfigName(ROUTE_NAME));
    for (HTTPFault f : faults) {
      hcm.addHttpFilters(HttpFilter.newBuilder().setName(FAULT).setTypedConfig(Any.pack(f)));
    }
    hcm.addHttpFilters(HttpFilter.newBuilder().setName(Inbound.ROUTER).setTypedConfig(Any.pack(Router.getDefaultInstance())));
    return Listener.newBuilder()
        .setName("outbound_" + address + "_" + port)
        .setAddress(Envoy.address(address, port))
        .addFilterChains(FilterChain.newBuilder().setName("outbound").addFilters(Envoy.filter(Inbound.HCM, hcm.build())))
        .build();
  }

  static RouteConfiguration routeConfiguration(List<VirtualHost> hosts) {
    return RouteConfiguration.newBuilder().setName(ROUTE_NAME).addAllVirtualHosts(hosts).build();
  }

  static VirtualHost vhost(String name, List<String> domains, List<Route> routes) {
    return VirtualHost.newBuilder().setName(name).addAllDomains(domains).addAllRoutes(routes).build();
  }

  /**
   * The fault filters of a VirtualService's routes. weft's proxy has no per-route filter config,
   * so a fault becomes an HCM fault filter whose header match restates the route's: exact only for
   * the VirtualService's first route with at most one match (later routes could be shadowed by
   * earlier ones, which a header match cannot express): other faults are reported.
   */
  static List<HTTPFault> faults(VirtualService vs, List<String> domains, List<String> problems) {
    List<HTTPFault> out = new ArrayList<>();
    for (int i = 0; i < vs.http().size(); i++) {
      HttpRoute r = vs.http().get(i);
      if (r.fault().isEmpty()) {
        continue;
      }
      String at = "VirtualService " + vs.metadata().namespace() + "/" + vs.metadata().name() + ": spec.http[" + i + "].fault";
      if (i > 0 || r.match().size() > 1) {
        problems.add(at + ": weft injects faults only on a VirtualService's first http route with at most one match");
        continue;
      }
      HTTPFault.Builder f = HTTPFault.newBuilder();
      f.addHeaders(HeaderMatcher.newBuilder().setName(":authority").setStringMatch(StringMatcher.newBuilder()
          .setSafeRegex(RegexMatcher.newBuilder().setRegex(
              String.join("|", domains.stream().map(Pattern::quote).map(Outbound::re2Quote).toList())))));
      if (r.match().size() == 1) {
        HttpMatch m = r.match().get(0);
        m.uri().ifPresent(u -> f.addHeaders(path(u, m.ignoreUriCase())));
        m.method().ifPresent(x -> f.addHeaders(Routes.header(":method", x)));
        m.headers().forEach((k, v) -> f.addHeaders(Routes.header(k, v)));
      }
      r.fault().get().delay().ifPresent(d -> f.setDelay(FaultDelay.newBuilder()
          .setFixedDelay(Envoy.duration(d.fixedDelay())).setPercentage(Envoy.percent(d.percentage()))));
      r.fault().get().abort().ifPresent(a -> f.setAbort(FaultAbort.newBuilder()
          .setHttpStatus(a.httpStatus()).setPercentage(Envoy.percent(a.percentage()))));
      out.add(f.build());
    }
    return out;
  }

  /** Java's \Q..\E quoting is not RE2's everywhere: escape metacharacters instead. */
  private static String re2Quote(String javaQuoted) {
    String literal = javaQuoted.substring(2, javaQuoted.length() - 2);
    return literal.replaceAll("([\\\\.\\[\\]{}()*+?^$|])", "\\\\$1");
  }

  /** The {@code :path} header carries the query string too: the match allows one after the path. */
  private static HeaderMatcher path(StringMatch u, boolean ignoreCase) {
    String re = switch (u.type()) {
      case EXACT -> re2Quote(Pattern.quote(u.value())) + "(\\?.*)?";
      case PREFIX -> re2Quote(Pattern.quote(u.value())) + ".*";
      case REGEX -> "(?:" + u.value() + ")(\\?.*)?";
    };
    return HeaderMatcher.newBuilder().setName(":path").setStringMatch(StringMatcher.newBuilder()
        .setSafeRegex(RegexMatcher.newBuilder().setRegex((ignoreCase ? "(?i)" : "") + re))).build();
  }
}
