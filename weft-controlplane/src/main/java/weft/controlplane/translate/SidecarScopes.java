package weft.controlplane.translate;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import weft.api.ResourceSet;
import weft.api.Sidecar;
import weft.api.VirtualService;
import weft.api.Workload;
import weft.api.traffic.Destination;
import weft.api.traffic.HttpRoute;
import weft.controlplane.registry.MeshService;
import weft.controlplane.registry.Registry;

/**
 * Which Sidecar scopes each proxy (istio.io, "Sidecar"): in the workload's namespace the first
 * (by name) whose {@code workloadSelector} selects it, else the namespace's Sidecar without selector,
 * else the root namespace's Sidecar without selector (the mesh default); none: every service.
 * Istio leaves several matches undefined; weft takes the first by name and reports the others.
 */
final class SidecarScopes {
  private final String rootNamespace;
  private final Map<String, List<Sidecar>> selecting = new TreeMap<>();
  private final Map<String, Sidecar> defaults = new TreeMap<>();

  SidecarScopes(ResourceSet resources, String rootNamespace, Set<String> problems) {
    this.rootNamespace = rootNamespace;
    for (Sidecar sc : resources.sidecars()) {
      String ns = sc.metadata().namespace();
      if (!sc.workloadSelector().isEmpty()) {
        selecting.computeIfAbsent(ns, k -> new ArrayList<>()).add(sc);
      } else if (defaults.containsKey(ns)) {
        problems.add("Sidecar " + ns + "/" + sc.metadata().name() + ": a namespace has one Sidecar without workloadSelector; "
            + ns + "/" + defaults.get(ns).metadata().name() + " (the first by name) applies");
      } else {
        defaults.put(ns, sc);
      }
    }
  }

  /** The Sidecar scoping {@code w}'s proxy, if any. */
  Optional<Sidecar> of(Workload w) {
    String ns = w.metadata().namespace();
    for (Sidecar sc : selecting.getOrDefault(ns, List.of())) {
      if (w.metadata().labels().entrySet().containsAll(sc.workloadSelector().entrySet())) {
        return Optional.of(sc);
      }
    }
    Sidecar d = defaults.get(ns);
    return Optional.ofNullable(d != null ? d : defaults.get(rootNamespace));
  }

  /**
   * The services a proxy in {@code clientNamespace} scoped by {@code sidecar} is told about, in
   * host order: those its egress hosts import and, as Istio infers them, the destinations (and
   * mirrors) of the VirtualServices of those, so that every route has its cluster.
   */
  static List<MeshService> imported(Registry registry, Traffic traffic, String clientNamespace, Sidecar sidecar) {
    Set<String> fqdns = new LinkedHashSet<>();
    for (MeshService s : registry.services()) {
      if (sidecar.imports(clientNamespace, s.namespace(), s.fqdn())) {
        fqdns.add(s.fqdn());
      }
    }
    for (String fqdn : List.copyOf(fqdns)) {
      Optional<VirtualService> vs = traffic.virtualService(fqdn);
      if (vs.isEmpty()) {
        continue;
      }
      String vsNamespace = vs.get().metadata().namespace();
      for (HttpRoute r : vs.get().http()) {
        for (HttpRoute.RouteDestination d : r.route()) {
          add(registry, d.destination(), vsNamespace, fqdns);
        }
        r.mirror().ifPresent(m -> add(registry, m, vsNamespace, fqdns));
      }
    }
    List<MeshService> out = new ArrayList<>();
    for (MeshService s : registry.services()) {
      if (fqdns.contains(s.fqdn())) {
        out.add(s);
      }
    }
    return out;
  }

  private static void add(Registry registry, Destination d, String vsNamespace, Set<String> fqdns) {
    registry.resolve(d.host(), vsNamespace).ifPresent(s -> fqdns.add(s.fqdn()));
  }
}
