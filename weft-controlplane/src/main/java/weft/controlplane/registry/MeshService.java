package weft.controlplane.registry;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import weft.api.Service;
import weft.api.inventory.ServicePort;

/**
 * A service as the mesh sees it: its host name and, per port, the endpoints its selector picks.
 *
 * @param service the weft.dev or core v1 Service
 * @param fqdn {@code name.namespace.svc.<clusterDomain>}
 * @param endpoints service port number -> endpoints, in workload key order
 */
public record MeshService(Service service, String fqdn, Map<Integer, List<Endpoint>> endpoints) {
  public MeshService {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(fqdn, "fqdn");
    endpoints = Map.copyOf(endpoints);
  }

  public String name() {
    return service.metadata().name();
  }

  public String namespace() {
    return service.metadata().namespace();
  }

  public List<ServicePort> ports() {
    return service.ports();
  }

  public Optional<ServicePort> port(int number) {
    return service.ports().stream().filter(p -> p.port() == number).findFirst();
  }

  public List<Endpoint> endpoints(int port) {
    return endpoints.getOrDefault(port, List.of());
  }
}
