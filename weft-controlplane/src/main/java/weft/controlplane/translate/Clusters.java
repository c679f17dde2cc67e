package weft.controlplane.translate;

import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.cluster.v3.CircuitBreakers;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.cluster.v3.OutlierDetection;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import weft.api.inventory.ServicePort;
import weft.api.traffic.Subset;
import weft.api.traffic.TrafficPolicy;
import weft.controlplane.registry.Endpoint;
import weft.controlplane.registry.MeshService;

/**
 * Outbound clusters {@code outbound|<port>|<subset>|<fqdn>} (EDS over ADS) with DestinationRule
 * policy and their ClusterLoadAssignments, as Istio builds them.
 */
final class Clusters {
  /** Istio's default connect timeout. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private Clusters() {}

  static String name(int port, String subset, String fqdn) {
    return "outbound|" + port + "|" + subset + "|" + fqdn;
  }

  /**
   * One cluster and its endpoints.
   *
   * @param mtls whether to originate ISTIO_MUTUAL (false: plaintext)
   * @param client the calling workload's locality for failover priorities; null for none
   */
  record Built(Cluster cluster, ClusterLoadAssignment endpoints) {}

  static Built build(MeshService s, ServicePort port, Optional<Subset> subset, TrafficPolicy policy,
      boolean mtls, List<String> spiffeIds, weft.api.inventory.Locality client) {
    String name = name(port.port(), subset.map(Subset::name).orElse(""), s.fqdn());
    Cluster.Builder c = Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(Envoy.ads()).setServiceName(name))
        .setConnectTimeout(Envoy.duration(policy.connectionPool().flatMap(TrafficPolicy.ConnectionPool::connectTimeout)
            .orElse(CONNECT_TIMEOUT)));
    policy.loadBalancer().ifPresent(lb -> {
      if (lb.consistentHash().isPresent()) {
        c.setLbPolicy(Cluster.LbPolicy.RING_HASH);
      } else {
        c.setLbPolicy(switch (lb.simple().orElse(TrafficPolicy.SimpleLb.ROUND_ROBIN)) {
          case ROUND_ROBIN -> Cluster.LbPolicy.ROUND_ROBIN;
          case LEAST_REQUEST -> Cluster.LbPolicy.LEAST_REQUEST;
          case RANDOM -> Cluster.LbPolicy.RANDOM;
        });
      }
    });
    policy.connectionPool().ifPresent(p -> {
      CircuitBreakers.Thresholds.Builder t = CircuitBreakers.Thresholds.newBuilder();
      p.maxConnections().ifPresent(v -> t.setMaxConnections(UInt32Value.of(v)));
      p.http1MaxPendingRequests().ifPresent(v -> t.setMaxPendingRequests(UInt32Value.of(v)));
      p.http2MaxRequests().ifPresent(v -> t.setMaxRequests(UInt32Value.of(v)));
      p.maxRetries().ifPresent(v -> t.setMaxRetries(UInt32Value.of(v)));
      if (!t.build().equals(CircuitBreakers.Thresholds.getDefaultInstance())) {
        c.setCircuitBreakers(CircuitBreakers.newBuilder().addThresholds(t));
      }
    });
    policy.outlierDetection().ifPresent(o -> c.setOutlierDetection(outlier(o)));
    if (mtls) {
      c.setTransportSocket(Envoy.tls(upstreamTls(spiffeIds)));
    }
    List<Endpoint> endpoints = s.endpoints(port.port()).stream()
        .filter(e -> subset.isEmpty() || e.labels().entrySet().containsAll(subset.get().labels().entrySet()))
        .toList();
    // Istio applies locality failover only with outlier detection (otherwise nothing ejects hosts)
    boolean failover = client != null && policy.outlierDetection().isPresent()
        && (!client.region().isEmpty() || !client.zone().isEmpty());
    List<TrafficPolicy.Failover> rules = policy.loadBalancer().map(TrafficPolicy.LoadBalancer::failover).orElse(List.of());
    return new Built(c.build(), assignment(name, endpoints, failover ? client : null, rules));
  }

  private static OutlierDetection outlier(TrafficPolicy.OutlierDetection o) {
    OutlierDetection.Builder b = OutlierDetection.newBuilder()
        // Istio turns success-rate ejection off; only the consecutive-error detectors apply
        .setEnforcingSuccessRate(UInt32Value.of(0));
    if (o.consecutive5xxErrors().isPresent()) {
      int n = o.consecutive5xxErrors().get();
      b.setConsecutive5Xx(UInt32Value.of(n)).setEnforcingConsecutive5Xx(UInt32Value.of(n > 0 ? 100 : 0));
    } else {
      b.setEnforcingConsecutive5Xx(UInt32Value.of(0));
    }
    o.consecutiveGatewayErrors().ifPresent(n -> b.setConsecutiveGatewayFailure(UInt32Value.of(n))
        .setEnforcingConsecutiveGatewayFailure(UInt32Value.of(n > 0 ? 100 : 0)));
    o.interval().ifPresent(d -> b.setInterval(Envoy.duration(d)));
    o.baseEjectionTime().ifPresent(d -> b.setBaseEjectionTime(Envoy.duration(d)));
    o.maxEjectionPercent().ifPresent(p -> b.setMaxEjectionPercent(UInt32Value.of(p)));
    return b.build();
  }

  /** ISTIO_MUTUAL: present {@code default}, verify against {@code ROOTCA} and the peers' SPIFFE IDs. */
  static UpstreamTlsContext upstreamTls(List<String> spiffeIds) {
    CertificateValidationContext.Builder v = CertificateValidationContext.newBuilder();
    for (String id : spiffeIds) {
      v.addMatchTypedSubjectAltNames(SubjectAltNameMatcher.newBuilder()
          .setSanType(SubjectAltNameMatcher.SanType.URI)
          .setMatcher(StringMatcher.newBuilder().setExact(id)));
    }
    return UpstreamTlsContext.newBuilder()
        .setCommonTlsContext(CommonTlsContext.newBuilder()
            .addTlsCertificateSdsSecretConfigs(Envoy.sds(Envoy.SDS_CERT))
            .setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                .setDefaultValidationContext(v)
                .setValidationContextSdsSecretConfig(Envoy.sds(Envoy.SDS_ROOT))))
        .build();
  }

  /**
   * Endpoints grouped by locality, in address order. With a client locality, priorities follow
   * Istio's failover: 0 same region and zone, 1 same region, 2 the region a failover rule names for
   * the client's region, 3 the rest (empty levels are skipped; Envoy wants them contiguous).
   */
  static ClusterLoadAssignment assignment(String name, List<Endpoint> endpoints,
      weft.api.inventory.Locality client, List<TrafficPolicy.Failover> rules) {
    Map<String, List<Endpoint>> byLocality = new TreeMap<>();
    for (Endpoint e : endpoints) {
      byLocality.computeIfAbsent(e.locality().region() + "/" + e.locality().zone(), k -> new ArrayList<>()).add(e);
    }
    TreeSet<Integer> levels = new TreeSet<>();
    Map<String, Integer> level = new TreeMap<>();
    for (Map.Entry<String, List<Endpoint>> g : byLocality.entrySet()) {
      int l = client == null ? 0 : priority(g.getValue().get(0).locality(), client, rules);
      level.put(g.getKey(), l);
      levels.add(l);
    }
    List<Integer> dense = new ArrayList<>(levels);
    ClusterLoadAssignment.Builder cla = ClusterLoadAssignment.newBuilder().setClusterName(name);
    for (Map.Entry<String, List<Endpoint>> g : byLocality.entrySet()) {
      weft.api.inventory.Locality loc = g.getValue().get(0).locality();
      LocalityLbEndpoints.Builder lle = LocalityLbEndpoints.newBuilder()
          .setPriority(dense.indexOf(level.get(g.getKey())))
          // grpc-xds ignores localities without a weight; Envoy uses it only for locality-weighted lb
          .setLoadBalancingWeight(UInt32Value.of(g.getValue().size()));
      if (!loc.region().isEmpty() || !loc.zone().isEmpty()) {
        lle.setLocality(Locality.newBuilder().setRegion(loc.region()).setZone(loc.zone()));
      }
      g.getValue().stream()
          .sorted(java.util.Comparator.comparing((Endpoint e) -> e.address().getHostAddress()).thenComparingInt(Endpoint::port))
          .forEach(e -> lle.addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(
              io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder().setAddress(Envoy.address(e.address(), e.port())))));
      cla.addEndpoints(lle);
    }
    return cla.build();
  }

  private static int priority(weft.api.inventory.Locality e, weft.api.inventory.Locality client,
      List<TrafficPolicy.Failover> rules) {
    if (e.region().equals(client.region())) {
      return e.zone().equals(client.zone()) ? 0 : 1;
    }
    for (TrafficPolicy.Failover f : rules) {
      if (f.from().equals(client.region()) && f.to().equals(e.region())) {
        return 2;
      }
    }
    return 3;
  }
}
