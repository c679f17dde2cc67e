package weft.api.traffic;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A DestinationRule's {@code TrafficPolicy} (without {@code portLevelSettings}, which weft refuses).
 * Every part is optional; absent parts keep Envoy/Istio defaults.
 */
public record TrafficPolicy(
    Optional<LoadBalancer> loadBalancer,
    Optional<ConnectionPool> connectionPool,
    Optional<OutlierDetection> outlierDetection,
    Optional<TlsMode> tls) {
  public TrafficPolicy {
    Objects.requireNonNull(loadBalancer, "loadBalancer");
    Objects.requireNonNull(connectionPool, "connectionPool");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(tls, "tls");
  }

  /** Istio's merge of a subset policy over the rule's: each part set in {@code override} wins. */
  public TrafficPolicy overriddenBy(TrafficPolicy override) {
    return new TrafficPolicy(
        override.loadBalancer.or(() -> loadBalancer),
        override.connectionPool.or(() -> connectionPool),
        override.outlierDetection.or(() -> outlierDetection),
        override.tls.or(() -> tls));
  }

  public enum SimpleLb {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RANDOM
  }

  public enum TlsMode {
    ISTIO_MUTUAL,
    DISABLE
  }

  /** Exactly one of {@code simple} / {@code consistentHash}, plus locality failover. */
  public record LoadBalancer(
      Optional<SimpleLb> simple, Optional<ConsistentHash> consistentHash, List<Failover> failover) {
    public LoadBalancer {
      Objects.requireNonNull(simple, "simple");
      Objects.requireNonNull(consistentHash, "consistentHash");
      failover = List.copyOf(failover);
    }
  }

  /** The hash key: exactly one of header name, cookie, or source IP. */
  public sealed interface ConsistentHash {
    record Header(String name) implements ConsistentHash {}

    /** Hash on an existing cookie ({@code ttl}, which makes Envoy generate one, is refused). */
    record Cookie(String name) implements ConsistentHash {}

    record SourceIp() implements ConsistentHash {}
  }

  /** Locality failover: traffic from region {@code from} fails over to region {@code to}. */
  public record Failover(String from, String to) {}

  public record ConnectionPool(
      Optional<Integer> maxConnections,
      Optional<Duration> connectTimeout,
      Optional<Integer> http1MaxPendingRequests,
      Optional<Integer> http2MaxRequests,
      Optional<Integer> maxRetries) {}

  public record OutlierDetection(
      Optional<Integer> consecutive5xxErrors,
      Optional<Integer> consecutiveGatewayErrors,
      Optional<Duration> interval,
      Optional<Duration> baseEjectionTime,
      Optional<Integer> maxEjectionPercent) {}
}
