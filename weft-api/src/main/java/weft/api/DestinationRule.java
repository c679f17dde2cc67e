package weft.api;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import weft.api.meta.ObjectMeta;
import weft.api.traffic.Subset;
import weft.api.traffic.TrafficPolicy;

/**
 * Istio's {@code networking.istio.io/v1} (or v1beta1) DestinationRule: the client-side policy for
 * traffic to one host (load balancing, connection pool, outlier detection, TLS) and its subsets.
 *
 * @param metadata name and namespace (a short host resolves against this namespace)
 * @param host the service host as written
 * @param trafficPolicy the policy for every subset unless a subset overrides it
 * @param subsets named groups of the service's endpoints, by workload labels
 */
public record DestinationRule(
    ObjectMeta metadata, String host, Optional<TrafficPolicy> trafficPolicy, List<Subset> subsets)
    implements Resource {
  public DestinationRule {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
    subsets = List.copyOf(subsets);
  }

  @Override
  public Kind kind() {
    return Kind.DESTINATION_RULE;
  }

  public Optional<Subset> subset(String name) {
    return subsets.stream().filter(s -> s.name().equals(name)).findFirst();
  }
}
