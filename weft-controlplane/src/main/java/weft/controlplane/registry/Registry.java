package weft.controlplane.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import weft.api.ResourceSet;
import weft.api.Service;
import weft.api.Workload;
import weft.api.inventory.Locality;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.PortRef;

/**
 * The mesh's services and their endpoints, derived from Workload and Service resources: a
 * service's endpoints on a port are the workloads (same namespace) its selector matches, at their
 * first address and the target port resolved against each workload's ports (a named target port a
 * workload does not declare excludes that workload, as in Kubernetes). Immutable.
 */
public final class Registry {
  private final String clusterDomain;
  private final Map<String, MeshService> byFqdn;
  private final List<Workload> workloads;

  private Registry(String clusterDomain, Map<String, MeshService> byFqdn, List<Workload> workloads) {
    this.clusterDomain = clusterDomain;
    this.byFqdn = byFqdn;
    this.workloads = workloads;
  }

  public static Registry of(ResourceSet resources, String clusterDomain) {
    Map<String, MeshService> services = new TreeMap<>();
    List<Workload> workloads = resources.workloads();
    for (Service s : resources.services()) {
      String fqdn = s.metadata().name() + "." + s.metadata().namespace() + ".svc." + clusterDomain;
      Map<Integer, List<Endpoint>> endpoints = new LinkedHashMap<>();
      for (ServicePort p : s.ports()) {
        endpoints.put(p.port(), endpoints(s, p, workloads));
      }
      // a weft.dev and a v1 Service of the same name are one host; the first (weft.dev) wins
      services.putIfAbsent(fqdn, new MeshService(s, fqdn, endpoints));
    }
    return new Registry(clusterDomain, java.util.Collections.unmodifiableMap(services), workloads);
  }

  private static List<Endpoint> endpoints(Service s, ServicePort p, List<Workload> workloads) {
    List<Endpoint> out = new ArrayList<>();
    if (s.selector().isEmpty()) {
      return out;
    }
    for (Workload w : workloads) {
      if (!w.metadata().namespace().equals(s.metadata().namespace()) || w.addresses().isEmpty()
          || !w.metadata().labels().entrySet().containsAll(s.selector().entrySet())) {
        continue;
      }
      Optional<Integer> port = switch (p.targetPort()) {
        case PortRef.Number n -> Optional.of(n.port());
        case PortRef.Name n -> w.port(n.name()).map(WorkloadPort::port);
      };
      port.ifPresent(target -> out.add(new Endpoint(w, w.addresses().get(0), target,
          w.locality().orElse(new Locality("", "")), w.cluster().orElse(""))));
    }
    return List.copyOf(out);
  }

  public String clusterDomain() {
    return clusterDomain;
  }

  /** Every service, in host order. */
  public Collection<MeshService> services() {
    return byFqdn.values();
  }

  public List<Workload> workloads() {
    return workloads;
  }

  public Optional<MeshService> byFqdn(String fqdn) {
    return Optional.ofNullable(byFqdn.get(fqdn));
  }

  /**
   * The service a host names, as Istio's ResolveShortnameToFQDN: a name without dots ({@code
   * reviews}) is {@code reviews.<namespace>.svc.<clusterDomain>}; any dotted name is taken as an
   * FQDN (so {@code reviews.prod} names no service, as in Istio).
   */
  public Optional<MeshService> resolve(String host, String namespace) {
    return Optional.ofNullable(byFqdn.get(fqdn(host, namespace)));
  }

  /** The FQDN a host means in {@code namespace}. */
  public String fqdn(String host, String namespace) {
    return host.contains(".") ? host : host + "." + namespace + ".svc." + clusterDomain;
  }
}
