package weft.controlplane.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import weft.api.DestinationRule;
import weft.api.ResourceSet;
import weft.api.Sidecar;
import weft.api.VirtualService;
import weft.api.Workload;
import weft.api.inventory.Locality;
import weft.api.inventory.ServicePort;
import weft.api.traffic.Destination;
import weft.api.traffic.Subset;
import weft.api.traffic.TrafficPolicy;
import weft.controlplane.registry.Endpoint;
import weft.controlplane.registry.MeshService;
import weft.controlplane.registry.Registry;
import weft.policy.engine.PolicyEngine;
import weft.policy.model.MtlsPolicy;

/**
 * The traffic side of a translation: VirtualServices and DestinationRules bound to registry
 * services, and the outbound configuration for a client namespace and locality (memoised: proxies
 * that share both share it).
 */
final class Traffic {
  private static final TrafficPolicy NO_POLICY =
      new TrafficPolicy(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  final Registry registry;
  final TranslateOptions options;
  private final PolicyEngine engine;
  private final Set<String> problems;
  private final Map<String, VirtualService> virtualServices = new TreeMap<>();
  private final Map<String, List<DestinationRule>> destinationRules = new TreeMap<>();
  private final Map<String, OutboundPart> memo = new HashMap<>();
  private final Map<String, ServiceClusters> serviceClusters = new HashMap<>();
  private final SidecarScopes scopes;

  /** One client's outbound resources. */
  record OutboundPart(RouteConfiguration routes, List<HTTPFault> faults, List<Cluster> clusters,
      List<ClusterLoadAssignment> endpoints, Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes) {}

  Traffic(ResourceSet resources, Registry registry, TranslateOptions options, PolicyEngine engine, Set<String> problems) {
    this.registry = registry;
    this.options = options;
    this.engine = engine;
    this.problems = problems;
    this.scopes = new SidecarScopes(resources, options.rootNamespace(), problems);
    for (VirtualService vs : resources.virtualServices()) {
      for (int i = 0; i < vs.hosts().size(); i++) {
        String fqdn = registry.fqdn(vs.hosts().get(i), vs.metadata().namespace());
        String at = label(vs) + ": spec.hosts[" + i + "]";
        if (registry.byFqdn(fqdn).isEmpty()) {
          problems.add(at + ": " + fqdn + " is not a known service");
        } else if (virtualServices.containsKey(fqdn)) {
          problems.add(at + ": " + fqdn + " is already routed by " + label(virtualServices.get(fqdn)) + " (the first one wins)");
        } else {
          virtualServices.put(fqdn, vs);
        }
      }
    }
    for (DestinationRule dr : resources.destinationRules()) {
      String fqdn = registry.fqdn(dr.host(), dr.metadata().namespace());
      if (registry.byFqdn(fqdn).isEmpty()) {
        problems.add("DestinationRule " + dr.metadata().namespace() + "/" + dr.metadata().name() + ": spec.host: " + fqdn + " is not a known service");
      }
      destinationRules.computeIfAbsent(fqdn, k -> new ArrayList<>()).add(dr);
    }
  }

  private static String label(VirtualService vs) {
    return "VirtualService " + vs.metadata().namespace() + "/" + vs.metadata().name();
  }

  Optional<VirtualService> virtualService(String fqdn) {
    return Optional.ofNullable(virtualServices.get(fqdn));
  }

  /** Istio's lookup: the client's namespace, then the service's, then the root namespace. */
  Optional<DestinationRule> destinationRule(MeshService s, String clientNamespace) {
    List<DestinationRule> rules = destinationRules.getOrDefault(s.fqdn(), List.of());
    for (String ns : new String[] {clientNamespace, s.namespace(), options.rootNamespace()}) {
      for (DestinationRule dr : rules) {
        if (dr.metadata().namespace().equals(ns)) {
          return Optional.of(dr);
        }
      }
    }
    return Optional.empty();
  }

  /** The client's outbound part: shared by the proxies of one namespace, locality and Sidecar scope. */
  OutboundPart outbound(Workload client) {
    Locality loc = client.locality().orElse(new Locality("", ""));
    Optional<Sidecar> scope = scopes.of(client);
    String key = client.metadata().namespace() + "\0" + loc.region() + "\0" + loc.zone()
        + scope.map(sc -> "\0" + sc.metadata().namespace() + "/" + sc.metadata().name()).orElse("");
    return memo.computeIfAbsent(key, k -> build(client.metadata().namespace(), loc, true, scope));
  }

  /** Every service, for proxyless clients ({@code sidecar=false}: plaintext clusters). */
  OutboundPart build(String clientNamespace, Locality client, boolean sidecar) {
    return build(clientNamespace, client, sidecar, Optional.empty());
  }

  /**
   * Clusters with policy for {@code clientNamespace}, for the services {@code scope} imports (all
   * without one); {@code mtls=false} for proxyless clients.
   */
  OutboundPart build(String clientNamespace, Locality client, boolean sidecar, Optional<Sidecar> scope) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes = new HashMap<>();
    Collection<MeshService> services = scope.isEmpty() ? registry.services()
        : SidecarScopes.imported(registry, this, clientNamespace, scope.get());
    for (MeshService s : services) {
      Optional<DestinationRule> dr = destinationRule(s, clientNamespace);
      // a service's clusters depend on the client only through the DestinationRule chosen and,
      // with outlier detection (locality failover), the client's locality: share them otherwise
      boolean localityMatters = sidecar && dr.map(Traffic::hasOutlierDetection).orElse(false);
      String key = s.fqdn() + "\0" + dr.map(d -> d.key().toString()).orElse("") + "\0" + sidecar
          + (localityMatters ? "\0" + client.region() + "\0" + client.zone() : "");
      ServiceClusters sc = serviceClusters.computeIfAbsent(key, k -> serviceClusters(s, dr, client, sidecar));
      clusters.addAll(sc.clusters());
      endpoints.addAll(sc.endpoints());
      hashes.putAll(sc.hashes());
    }
    List<io.envoyproxy.envoy.config.route.v3.VirtualHost> hosts = new ArrayList<>();
    List<HTTPFault> faults = new ArrayList<>();
    for (MeshService s : services) {
      Optional<VirtualService> vs = virtualService(s.fqdn());
      for (ServicePort p : s.ports()) {
        if (!Protocols.isHttp(p.appProtocol(), p.name())) {
          continue;
        }
        List<String> domains = domains(s, p, clientNamespace);
        List<Route> routes = routes(s, p, vs, clientNamespace, hashes);
        hosts.add(Outbound.vhost(s.fqdn() + ":" + p.port(), domains, routes));
        if (sidecar) {
          vs.ifPresent(v -> faults.addAll(faults(v, domains)));
        }
      }
    }
    // immutable lists: a proxy's snapshot then holds this very list (List.copyOf returns it), which
    // the xDS server recognises as shared by every proxy of the namespace and locality
    return new OutboundPart(Outbound.routeConfiguration(hosts), faults, List.copyOf(clusters), List.copyOf(endpoints),
        Map.copyOf(hashes));
  }

  /** The clusters of one service for one DestinationRule choice (and locality, when it matters). */
  private record ServiceClusters(List<Cluster> clusters, List<ClusterLoadAssignment> endpoints,
      Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes) {}

  private static boolean hasOutlierDetection(DestinationRule dr) {
    return dr.trafficPolicy().flatMap(TrafficPolicy::outlierDetection).isPresent()
        || dr.subsets().stream().anyMatch(x -> x.trafficPolicy().flatMap(TrafficPolicy::outlierDetection).isPresent());
  }

  private ServiceClusters serviceClusters(MeshService s, Optional<DestinationRule> dr, Locality client, boolean sidecar) {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> endpoints = new ArrayList<>();
    Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes = new HashMap<>();
    TrafficPolicy base = dr.flatMap(DestinationRule::trafficPolicy).orElse(NO_POLICY);
    for (ServicePort p : s.ports()) {
      List<String> ids = new ArrayList<>(new TreeSet<>(s.endpoints(p.port()).stream()
          .map(e -> e.spiffeId(options.trustDomain())).toList()));
      List<Optional<Subset>> subsets = new ArrayList<>();
      subsets.add(Optional.empty());
      dr.ifPresent(d -> d.subsets().forEach(x -> subsets.add(Optional.of(x))));
      for (Optional<Subset> subset : subsets) {
        TrafficPolicy policy = subset.flatMap(Subset::trafficPolicy).map(base::overriddenBy).orElse(base);
        boolean mtls = sidecar && mtls(s, p, subset, policy);
        Clusters.Built b = Clusters.build(s, p, subset, policy, mtls, ids, sidecar ? client : null);
        clusters.add(b.cluster());
        endpoints.add(b.endpoints());
        hashes.put(b.cluster().getName(), policy.loadBalancer().flatMap(TrafficPolicy.LoadBalancer::consistentHash));
      }
    }
    return new ServiceClusters(List.copyOf(clusters), List.copyOf(endpoints), Map.copyOf(hashes));
  }

  private List<HTTPFault> faults(VirtualService vs, List<String> domains) {
    List<String> found = new ArrayList<>();
    List<HTTPFault> out = Outbound.faults(vs, domains, found);
    problems.addAll(found);
    return out;
  }

  List<Route> routes(MeshService s, ServicePort p, Optional<VirtualService> vs, String clientNamespace,
      Map<String, Optional<TrafficPolicy.ConsistentHash>> hashes) {
    String own = Clusters.name(p.port(), "", s.fqdn());
    if (vs.isEmpty()) {
      return List.of(Routes.defaultRoute(own, hashes.getOrDefault(own, Optional.empty())));
    }
    List<String> found = new ArrayList<>();
    List<Route> routes = Routes.routes(vs.get(), p, new Routes.Resolver() {
      @Override
      public Optional<String> cluster(Destination d, String vsNamespace, int defaultPort, String at) {
        return resolve(d, vsNamespace, defaultPort, clientNamespace, at, found);
      }

      @Override
      public Optional<TrafficPolicy.ConsistentHash> hash(String cluster) {
        return hashes.getOrDefault(cluster, Optional.empty());
      }
    }, found);
    problems.addAll(found);
    return routes;
  }

  private Optional<String> resolve(Destination d, String vsNamespace, int defaultPort, String clientNamespace,
      String at, List<String> found) {
    Optional<MeshService> s = registry.resolve(d.host(), vsNamespace);
    if (s.isEmpty()) {
      found.add(at + ".host: " + registry.fqdn(d.host(), vsNamespace) + " is not a known service");
      return Optional.empty();
    }
    int port;
    if (d.port().isPresent()) {
      port = d.port().get();
    } else if (s.get().ports().size() == 1) {
      port = s.get().ports().get(0).port();
    } else if (s.get().port(defaultPort).isPresent()) {
      port = defaultPort;
    } else {
      found.add(at + ".port: required, " + s.get().fqdn() + " has several ports");
      return Optional.empty();
    }
    if (s.get().port(port).isEmpty()) {
      found.add(at + ".port.number: " + s.get().fqdn() + " has no port " + port);
      return Optional.empty();
    }
    if (d.subset().isPresent()
        && destinationRule(s.get(), clientNamespace).flatMap(dr -> dr.subset(d.subset().get())).isEmpty()) {
      found.add(at + ".subset: no DestinationRule for " + s.get().fqdn() + " declares subset " + d.subset().get());
      return Optional.empty();
    }
    return Optional.of(Clusters.name(port, d.subset().orElse(""), s.get().fqdn()));
  }

  /**
   * ISTIO_MUTUAL unless the DestinationRule says DISABLE; without a tls setting, Istio's auto-mTLS
   * for the one case a whole cluster can express: every endpoint's inbound port is DISABLE.
   */
  private boolean mtls(MeshService s, ServicePort p, Optional<Subset> subset, TrafficPolicy policy) {
    if (policy.tls().isPresent()) {
      return policy.tls().get() == TrafficPolicy.TlsMode.ISTIO_MUTUAL;
    }
    List<Endpoint> eps = s.endpoints(p.port()).stream()
        .filter(e -> subset.isEmpty() || e.labels().entrySet().containsAll(subset.get().labels().entrySet()))
        .toList();
    if (eps.isEmpty() || engine == null) {
      return true;
    }
    for (Endpoint e : eps) {
      var w = engine.workload(e.workload().metadata().namespace(), e.workload().metadata().name());
      if (w.isEmpty() || Translator.mode(w.get().istio(), e.port()) != MtlsPolicy.Mode.DISABLE) {
        return true;
      }
    }
    return false;
  }

  /**
   * Host names a client uses for a service port: {@code svc.ns}, {@code svc.ns.svc}, the FQDN,
   * and {@code svc} in the client's own namespace (short names of other namespaces would collide),
   * each with {@code :port}; without a port only for the service's default port (80 when it has
   * an HTTP port 80, else its first HTTP port), since a Host without a port names one port only.
   */
  static List<String> domains(MeshService s, ServicePort p, String clientNamespace) {
    List<String> names = new ArrayList<>();
    if (s.namespace().equals(clientNamespace)) {
      names.add(s.name());
    }
    names.add(s.name() + "." + s.namespace());
    names.add(s.name() + "." + s.namespace() + ".svc");
    names.add(s.fqdn());
    boolean portless = defaultPort(s).map(d -> d == p.port()).orElse(false);
    List<String> out = new ArrayList<>();
    for (String n : names) {
      if (portless) {
        out.add(n);
      }
      out.add(n + ":" + p.port());
    }
    return out;
  }

  static Optional<Integer> defaultPort(MeshService s) {
    List<ServicePort> http = s.ports().stream().filter(p -> Protocols.isHttp(p.appProtocol(), p.name())).toList();
    if (http.stream().anyMatch(p -> p.port() == 80)) {
      return Optional.of(80);
    }
    return http.isEmpty() ? Optional.empty() : Optional.of(http.get(0).port());
  }
}
