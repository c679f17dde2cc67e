package weft.api.traffic;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a route sends traffic: a service host, optionally one subset and one port.
 *
 * @param host the host as written (short names resolve against the route's namespace)
 * @param subset a subset declared by the host's DestinationRule
 * @param port the service port; may be omitted when the service has one port
 */
public record Destination(String host, Optional<String> subset, Optional<Integer> port) {
  public Destination {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(subset, "subset");
    Objects.requireNonNull(port, "port");
  }
}
