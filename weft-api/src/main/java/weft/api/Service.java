package weft.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import weft.api.inventory.ServicePort;
import weft.api.meta.ObjectMeta;
import weft.api.meta.SortedMaps;

/**
 * A Service: either weft's {@code weft.dev/v1alpha1} Service ({@link Kind#MESH_SERVICE}) or
 * Kubernetes' core {@code v1} Service ({@link Kind#SERVICE}); both select workloads by label and map
 * service ports to workload ports.
 *
 * @param kind {@link Kind#MESH_SERVICE} or {@link Kind#SERVICE}
 * @param metadata name, namespace, labels
 * @param selector equality-based label selector over workloads in the same namespace; empty means
 *     the Service selects no workloads (Kubernetes: endpoints are managed by hand)
 * @param ports the service ports
 */
public record Service(Kind kind, ObjectMeta metadata, Map<String, String> selector, List<ServicePort> ports)
    implements Resource {
  public Service {
    if (kind != Kind.MESH_SERVICE && kind != Kind.SERVICE) {
      throw new IllegalArgumentException("kind: " + kind + " (expected: MESH_SERVICE or SERVICE)");
    }
    Objects.requireNonNull(metadata, "metadata");
    selector = SortedMaps.copyOf(selector);
    ports = List.copyOf(ports);
  }
}
