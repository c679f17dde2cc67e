package weft.api.inventory;

import java.util.Objects;

/**
 * Where a workload runs, as Envoy's {@code Locality}: the empty string means "not set".
 *
 * @param region e.g. {@code eu-west-1}
 * @param zone e.g. {@code eu-west-1a}
 */
public record Locality(String region, String zone) {
  public Locality {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
  }
}
