package weft.proxy.cluster;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.admin.v3.ClusterStatus;
import io.envoyproxy.envoy.admin.v3.Clusters;
import io.envoyproxy.envoy.admin.v3.HostHealthStatus;
import io.envoyproxy.envoy.admin.v3.HostStatus;
import io.envoyproxy.envoy.admin.v3.SimpleMetric;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.RoutingPriority;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import java.util.Collection;

/**
 * Envoy's admin {@code /clusters} text format: one {@code cluster::...} line per setting (name,
 * outlier success rates when outlier detection is on, circuit breakers per priority), then per
 * host its stats (sorted by name, as Envoy prints them), hostname, {@code health_flags}, weight,
 * locality, canary, priority and success rates (-1: weft does not compute success rates).
 */
final class ClustersDump {
  private ClustersDump() {}

  static String render(Collection<UpstreamCluster> clusters) {
    StringBuilder sb = new StringBuilder();
    for (UpstreamCluster c : clusters) {
      String n = c.name();
      line(sb, n, "observability_name", n);
      if (c.outlierDetector() != null) {
        // success-rate detection is not implemented, so these are Envoy's "not computed" value
        line(sb, n, "outlier::success_rate_average", "-1");
        line(sb, n, "outlier::success_rate_ejection_threshold", "-1");
        line(sb, n, "outlier::local_origin_success_rate_average", "-1");
        line(sb, n, "outlier::local_origin_success_rate_ejection_threshold", "-1");
      }
      CircuitBreakers.Thresholds t = c.circuitBreakers().thresholds();
      breakers(sb, n, "default_priority", t);
      breakers(sb, n, "high_priority", CircuitBreakers.Thresholds.DEFAULT);
      line(sb, n, "added_via_api", "false");
      for (Host h : c.hosts()) {
        String a = n + "::" + h.addressString();
        line(sb, a, "cx_active", h.activeConnections());
        line(sb, a, "cx_connect_fail", h.cxConnectFail());
        line(sb, a, "cx_total", h.cxTotal());
        line(sb, a, "rq_active", h.activeRequests());
        line(sb, a, "rq_error", h.rqError());
        line(sb, a, "rq_success", h.rqSuccess());
        line(sb, a, "rq_timeout", h.rqTimeout());
        line(sb, a, "rq_total", h.rqTotal());
        line(sb, a, "hostname", h.hostname());
        line(sb, a, "health_flags", h.healthFlagsText());
        line(sb, a, "weight", h.weight());
        line(sb, a, "region", h.locality().region());
        line(sb, a, "zone", h.locality().zone());
        line(sb, a, "sub_zone", h.locality().subZone());
        line(sb, a, "canary", "false");
        line(sb, a, "priority", h.priority());
        line(sb, a, "success_rate", "-1");
        line(sb, a, "local_origin_success_rate", "-1");
      }
    }
    return sb.toString();
  }

  /**
   * The same content as Envoy's {@code /clusters?format=json}: an {@code admin.v3.Clusters}
   * message (success rates are left unset, as Envoy does when it has not computed them).
   */
  static Clusters proto(Collection<UpstreamCluster> clusters) {
    Clusters.Builder out = Clusters.newBuilder();
    for (UpstreamCluster c : clusters) {
      CircuitBreakers.Thresholds t = c.circuitBreakers().thresholds();
      ClusterStatus.Builder cs =
          ClusterStatus.newBuilder()
              .setName(c.name())
              .setObservabilityName(c.name())
              .setCircuitBreakers(
                  io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.newBuilder()
                      .addThresholds(thresholds(RoutingPriority.DEFAULT, t))
                      .addThresholds(thresholds(RoutingPriority.HIGH, CircuitBreakers.Thresholds.DEFAULT)));
      for (Host h : c.hosts()) {
        cs.addHostStatuses(
            HostStatus.newBuilder()
                .setAddress(
                    Address.newBuilder()
                        .setSocketAddress(
                            SocketAddress.newBuilder()
                                .setAddress(h.address().getAddress().getHostAddress())
                                .setPortValue(h.address().getPort())))
                .addStats(metric("cx_active", h.activeConnections(), SimpleMetric.Type.GAUGE))
                .addStats(metric("cx_connect_fail", h.cxConnectFail(), SimpleMetric.Type.COUNTER))
                .addStats(metric("cx_total", h.cxTotal(), SimpleMetric.Type.COUNTER))
                .addStats(metric("rq_active", h.activeRequests(), SimpleMetric.Type.GAUGE))
                .addStats(metric("rq_error", h.rqError(), SimpleMetric.Type.COUNTER))
                .addStats(metric("rq_success", h.rqSuccess(), SimpleMetric.Type.COUNTER))
                .addStats(metric("rq_timeout", h.rqTimeout(), SimpleMetric.Type.COUNTER))
                .addStats(metric("rq_total", h.rqTotal(), SimpleMetric.Type.COUNTER))
                .setHealthStatus(
                    HostHealthStatus.newBuilder()
                        .setFailedActiveHealthCheck(h.failedActiveHealthCheck())
                        .setFailedOutlierCheck(h.failedOutlierCheck())
                        .setEdsHealthStatus(
                            (h.healthFlags() & Host.FAILED_EDS_HEALTH) != 0
                                ? HealthStatus.UNHEALTHY
                                : HealthStatus.HEALTHY))
                .setWeight(h.weight())
                .setHostname(h.hostname())
                .setPriority(h.priority())
                .setLocality(
                    io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                        .setRegion(h.locality().region())
                        .setZone(h.locality().zone())
                        .setSubZone(h.locality().subZone())));
      }
      out.addClusterStatuses(cs);
    }
    return out.build();
  }

  private static io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds thresholds(
      RoutingPriority priority, CircuitBreakers.Thresholds t) {
    return io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers.Thresholds.newBuilder()
        .setPriority(priority)
        .setMaxConnections(UInt32Value.of(t.maxConnections()))
        .setMaxPendingRequests(UInt32Value.of(t.maxPendingRequests()))
        .setMaxRequests(UInt32Value.of(t.maxRequests()))
        .setMaxRetries(UInt32Value.of(t.maxRetries()))
        .build();
  }

  private static SimpleMetric metric(String name, long value, SimpleMetric.Type type) {
    return SimpleMetric.newBuilder().setName(name).setValue(Math.max(0, value)).setType(type).build();
  }

  private static void breakers(StringBuilder sb, String n, String prio, CircuitBreakers.Thresholds t) {
    String p = n + "::" + prio;
    line(sb, p, "max_connections", t.maxConnections());
    line(sb, p, "max_pending_requests", t.maxPendingRequests());
    line(sb, p, "max_requests", t.maxRequests());
    line(sb, p, "max_retries", t.maxRetries());
  }

  private static void line(StringBuilder sb, String prefix, String key, Object value) {
    sb.append(prefix).append("::").append(key).append("::").append(value).append('\n');
  }
}
