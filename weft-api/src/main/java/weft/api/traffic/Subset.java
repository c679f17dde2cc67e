package weft.api.traffic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import weft.api.meta.SortedMaps;

/**
 * A DestinationRule subset: the service's endpoints whose workloads carry {@code labels}.
 *
 * @param trafficPolicy overrides the rule's policy field by field (Istio merges at the top level)
 */
public record Subset(String name, Map<String, String> labels, Optional<TrafficPolicy> trafficPolicy) {
  public Subset {
    Objects.requireNonNull(name, "name");
    labels = SortedMaps.copyOf(labels);
    Objects.requireNonNull(trafficPolicy, "trafficPolicy");
  }
}
