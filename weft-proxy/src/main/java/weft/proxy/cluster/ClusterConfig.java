package weft.proxy.cluster;

import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;

/** One cluster's validated config: the immutable middle form between the proto and the runtime. */
record ClusterConfig(
    String name,
    Discovery discovery,
    Duration connectTimeout,
    UpstreamProtocol protocol,
    UpstreamTransport transport,
    CircuitBreakers.Thresholds thresholds,
    HostSnapshot.Shape shape,
    List<Endpoints.Spec> endpoints,
    Duration dnsRefreshRate,
    DnsLookupFamily dnsLookupFamily,
    Optional<OutlierDetector.Config> outlier,
    List<HealthCheckSpec> healthChecks) {

  enum Discovery {
    STATIC,
    STRICT_DNS
  }

  /** Envoy's {@code dns_lookup_family}. */
  enum DnsLookupFamily {
    AUTO,
    V4_ONLY,
    V6_ONLY,
    V4_PREFERRED,
    ALL
  }

  static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  static final Duration DEFAULT_DNS_REFRESH = Duration.ofSeconds(5);

  /** Every field weft honours; the rest are refused by {@link SupportedFields}. */
  private static final String[] FIELDS = {
    "name", "type", "connect_timeout", "lb_policy", "load_assignment", "health_checks",
    "circuit_breakers", "typed_extension_protocol_options", "http2_protocol_options",
    "http_protocol_options", "common_http_protocol_options", "max_requests_per_connection",
    "dns_refresh_rate", "dns_lookup_family", "outlier_detection", "common_lb_config",
    "transport_socket", "ring_hash_lb_config", "maglev_lb_config", "least_request_lb_config",
    "round_robin_lb_config", "load_balancing_policy"
  };

  // dns_refresh_rate is deprecated in favour of a typed DNS cluster config, which weft does not read
  @SuppressWarnings("deprecation")
  static ClusterConfig compile(
      Cluster c, ConfigPath path, ConfigProblems problems, UpstreamTransportFactory transports) {
    SupportedFields.check(c, path, problems, FIELDS);
    if (c.getName().isEmpty()) {
      problems.add(path.field("name"), "name is required");
    }
    Discovery discovery = Discovery.STATIC;
    if (c.getClusterDiscoveryTypeCase() == Cluster.ClusterDiscoveryTypeCase.TYPE) {
      discovery =
          switch (c.getType()) {
            case STATIC -> Discovery.STATIC;
            case STRICT_DNS -> Discovery.STRICT_DNS;
            default -> {
              problems.unsupported(path.field("type"), c.getType());
              yield Discovery.STATIC;
            }
          };
    }
    Duration connectTimeout =
        Durations.or(c.hasConnectTimeout(), c.getConnectTimeout(), DEFAULT_CONNECT_TIMEOUT);
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      problems.add(path.field("connect_timeout"), connectTimeout + " (expected: > 0)");
    }
    UpstreamProtocol protocol = UpstreamProtocol.compile(c, path, problems);
    UpstreamTransport transport =
        c.hasTransportSocket()
            ? transports.compile(c.getTransportSocket(), path.field("transport_socket"), problems)
            : null;
    LbPolicies.Compiled lb = LbPolicies.compile(c, path, problems);
    Endpoints endpoints =
        Endpoints.compile(c.getLoadAssignment(), path.field("load_assignment"), problems);
    if (discovery == Discovery.STATIC) {
      for (Endpoints.Spec s : endpoints.specs()) {
        if (!io.netty.util.NetUtil.isValidIpV4Address(s.address())
            && !io.netty.util.NetUtil.isValidIpV6Address(s.address())) {
          problems.add(
              path.field("load_assignment"),
              "static cluster address " + s.address() + " is not an IP address; use STRICT_DNS");
        }
      }
    }
    HostSnapshot.Shape shape =
        new HostSnapshot.Shape(
            lb.policy(),
            endpoints.overprovisioningFactor(),
            lb.panicThresholdPercent(),
            lb.localityWeighted(),
            endpoints.localityWeights());
    Duration dnsRefresh =
        Durations.or(c.hasDnsRefreshRate(), c.getDnsRefreshRate(), DEFAULT_DNS_REFRESH);
    if (dnsRefresh.toMillis() < 1) {
      problems.add(path.field("dns_refresh_rate"), dnsRefresh + " (expected: >= 1ms)");
      dnsRefresh = DEFAULT_DNS_REFRESH;
    }
    DnsLookupFamily family =
        switch (c.getDnsLookupFamily()) {
          case AUTO -> DnsLookupFamily.AUTO;
          case V4_ONLY -> DnsLookupFamily.V4_ONLY;
          case V6_ONLY -> DnsLookupFamily.V6_ONLY;
          case V4_PREFERRED -> DnsLookupFamily.V4_PREFERRED;
          case ALL -> DnsLookupFamily.ALL;
          default -> {
            problems.unsupported(path.field("dns_lookup_family"), c.getDnsLookupFamily());
            yield DnsLookupFamily.AUTO;
          }
        };
    Optional<OutlierDetector.Config> outlier =
        c.hasOutlierDetection()
            ? Optional.of(
                OutlierDetector.Config.compile(
                    c.getOutlierDetection(), path.field("outlier_detection"), problems))
            : Optional.empty();
    List<HealthCheckSpec> healthChecks =
        HealthCheckSpec.compileAll(c.getHealthChecksList(), c.getName(), path.field("health_checks"), problems);
    return new ClusterConfig(
        c.getName(),
        discovery,
        connectTimeout,
        protocol,
        transport,
        thresholds(c, path, problems),
        shape,
        endpoints.specs(),
        dnsRefresh,
        family,
        outlier,
        healthChecks);
  }

  private static CircuitBreakers.Thresholds thresholds(
      Cluster c, ConfigPath path, ConfigProblems problems) {
    CircuitBreakers.Thresholds result = CircuitBreakers.Thresholds.DEFAULT;
    if (!c.hasCircuitBreakers()) {
      return result;
    }
    ConfigPath cp = path.field("circuit_breakers");
    SupportedFields.check(c.getCircuitBreakers(), cp, problems, "thresholds");
    for (int i = 0; i < c.getCircuitBreakers().getThresholdsCount(); i++) {
      Thresholds t = c.getCircuitBreakers().getThresholds(i);
      ConfigPath tp = cp.field("thresholds").index(i);
      SupportedFields.check(
          t, tp, problems, "priority", "max_connections", "max_pending_requests", "max_requests",
          "max_retries", "retry_budget");
      if (t.getPriority() != RoutingPriority.DEFAULT) {
        // weft routes every request at DEFAULT priority, so HIGH thresholds would never apply
        problems.unsupported(tp.field("priority"), t.getPriority());
        continue;
      }
      Optional<CircuitBreakers.RetryBudget> budget = Optional.empty();
      if (t.hasRetryBudget()) {
        ConfigPath bp = tp.field("retry_budget");
        SupportedFields.check(
            t.getRetryBudget(), bp, problems, "budget_percent", "min_retry_concurrency");
        double pct =
            t.getRetryBudget().hasBudgetPercent()
                ? t.getRetryBudget().getBudgetPercent().getValue()
                : CircuitBreakers.RetryBudget.DEFAULT.budgetPercent();
        if (pct < 0 || pct > 100) {
          problems.add(bp.field("budget_percent"), pct + " (expected: 0 to 100)");
        }
        int min =
            t.getRetryBudget().hasMinRetryConcurrency()
                ? t.getRetryBudget().getMinRetryConcurrency().getValue()
                : CircuitBreakers.RetryBudget.DEFAULT.minRetryConcurrency();
        budget = Optional.of(new CircuitBreakers.RetryBudget(pct, min));
      }
      result =
          new CircuitBreakers.Thresholds(
              t.hasMaxConnections() ? clamp(t.getMaxConnections().getValue()) : 1024,
              t.hasMaxPendingRequests() ? clamp(t.getMaxPendingRequests().getValue()) : 1024,
              t.hasMaxRequests() ? clamp(t.getMaxRequests().getValue()) : 1024,
              t.hasMaxRetries() ? clamp(t.getMaxRetries().getValue()) : 3,
              budget);
    }
    return result;
  }

  private static int clamp(int unsigned) {
    return unsigned < 0 ? Integer.MAX_VALUE : unsigned;
  }
}
