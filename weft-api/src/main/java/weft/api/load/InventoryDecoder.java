package weft.api.load;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import weft.api.Kind;
import weft.api.Namespace;
import weft.api.Node;
import weft.api.Resource;
import weft.api.Service;
import weft.api.Workload;
import weft.api.inventory.Locality;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.Cidr;
import weft.api.meta.ObjectMeta;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/** Decodes the inventory kinds: Workload, Node, Service (weft.dev and v1), Namespace. */
final class InventoryDecoder {
  private InventoryDecoder() {}

  static Optional<Resource> workload(ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    String serviceAccount = spec.string("serviceAccount").orElse(Workload.DEFAULT_SERVICE_ACCOUNT);
    KubernetesNames.checkDnsSubdomain(serviceAccount)
        .ifPresent(p -> problems.add(spec.at("serviceAccount"), p));
    List<InetAddress> addresses = addresses(spec);
    Set<String> portNames = new HashSet<>();
    List<WorkloadPort> ports = spec.objects("ports", p -> workloadPort(p, portNames));
    Optional<String> cluster = name(spec, "cluster");
    Optional<Locality> locality =
        spec.object("locality")
            .map(
                l -> {
                  String region = l.string("region").orElse("");
                  String zone = l.string("zone").orElse("");
                  l.finish();
                  return new Locality(region, zone);
                });
    Optional<String> node = name(spec, "node");
    Workload.AppEndpoint app = spec.object("app").map(a -> {
      Optional<InetAddress> address = a.string("address").flatMap(s -> parseAddress(s, a.at("address"), problems));
      int offset = a.integer("portOffset", 0, 65534).orElse(Workload.AppEndpoint.DEFAULT.portOffset());
      a.finish();
      return new Workload.AppEndpoint(address.orElse(Workload.AppEndpoint.DEFAULT.address()), offset);
    }).orElse(Workload.AppEndpoint.DEFAULT);
    Workload.ProxyPorts proxy = spec.object("proxy").map(p -> {
      int outbound = p.integer("outboundPort", 1, 65535).orElse(Workload.ProxyPorts.DEFAULT.outboundPort());
      p.finish();
      return new Workload.ProxyPorts(outbound);
    }).orElse(Workload.ProxyPorts.DEFAULT);
    for (WorkloadPort p : ports) {
      if (p.port() + app.portOffset() > 65535) {
        problems.add(spec.at("app").field("portOffset"), "port " + p.port() + " + portOffset " + app.portOffset() + " exceeds 65535");
      }
      if (p.port() == proxy.outboundPort()) {
        problems.add(spec.at("proxy").field("outboundPort"), "port " + p.port() + " is also a workload port");
      }
    }
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Workload(meta, serviceAccount, addresses, ports, cluster, locality, node, app, proxy));
  }

  private static Optional<WorkloadPort> workloadPort(Obj p, Set<String> names) {
    int before = p.problems().size();
    Optional<String> name = portName(p, names);
    Optional<Integer> port = p.has("port") ? p.integer("port", 1, 65535) : missing(p, "port");
    Optional<Protocol> protocol = PortDecoder.protocol(p, "protocol", false);
    Optional<String> appProtocol = p.string("appProtocol");
    p.finish();
    if (p.problems().size() > before) {
      return Optional.empty();
    }
    return Optional.of(new WorkloadPort(name, port.get(), protocol.get(), appProtocol));
  }

  static Optional<Resource> node(ObjectMeta meta, Optional<Obj> spec) {
    List<InetAddress> addresses = List.of();
    if (spec.isPresent()) {
      int before = spec.get().problems().size();
      addresses = addresses(spec.get());
      spec.get().finish();
      if (spec.get().problems().size() > before) {
        return Optional.empty();
      }
    }
    return Optional.of(new Node(meta, addresses));
  }

  static Optional<Resource> namespace(ObjectMeta meta, FieldPath labelsAt, Problems problems) {
    String value = meta.labels().get(Namespace.NAME_LABEL);
    if (value != null && !value.equals(meta.name())) {
      problems.add(
          labelsAt.key(Namespace.NAME_LABEL),
          "is set by Kubernetes to the namespace name " + Values.quote(meta.name()) + ", got " + Values.quote(value));
      return Optional.empty();
    }
    Map<String, String> labels = new TreeMap<>(meta.labels());
    labels.put(Namespace.NAME_LABEL, meta.name());
    return Optional.of(
        new Namespace(new ObjectMeta(meta.name(), meta.namespace(), labels, meta.annotations())));
  }

  static Optional<Resource> service(Kind kind, ObjectMeta meta, Obj spec) {
    Problems problems = spec.problems();
    int before = problems.size();
    Map<String, String> selector = MetadataDecoder.labels(spec, "selector");
    Set<String> portNames = new HashSet<>();
    List<ServicePort> ports = spec.objects("ports", p -> servicePort(kind, p, portNames));
    if (ports.size() > 1) {
      for (int i = 0; i < ports.size(); i++) {
        if (ports.get(i).name().isEmpty()) {
          problems.add(spec.at("ports").index(i).field("name"), "required when a Service has more than one port");
        }
      }
    }
    if (kind == Kind.SERVICE) {
      // Core v1 fields about virtual IPs and load balancers: policy and discovery do not use them.
      spec.ignore(
          "type", "clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "sessionAffinity",
          "sessionAffinityConfig", "internalTrafficPolicy", "externalTrafficPolicy",
          "publishNotReadyAddresses", "allocateLoadBalancerNodePorts", "externalIPs",
          "loadBalancerIP", "loadBalancerSourceRanges", "loadBalancerClass", "externalName",
          "healthCheckNodePort", "trafficDistribution");
    }
    spec.finish();
    if (problems.size() > before) {
      return Optional.empty();
    }
    return Optional.of(new Service(kind, meta, selector, ports));
  }

  private static Optional<ServicePort> servicePort(Kind kind, Obj p, Set<String> names) {
    int before = p.problems().size();
    Optional<String> name = portName(p, names);
    Optional<Integer> port = p.has("port") ? p.integer("port", 1, 65535) : missing(p, "port");
    Optional<PortRef> target =
        p.raw("targetPort").flatMap(v -> PortDecoder.kubernetesPort(v, 1, p.at("targetPort"), p.problems()));
    Optional<Protocol> protocol = PortDecoder.protocol(p, "protocol", false);
    Optional<String> appProtocol = p.string("appProtocol");
    if (kind == Kind.SERVICE) {
      p.ignore("nodePort");
    }
    p.finish();
    if (p.problems().size() > before) {
      return Optional.empty();
    }
    PortRef targetPort = target.orElse(PortRef.of(port.get()));
    return Optional.of(new ServicePort(name, port.get(), targetPort, protocol.get(), appProtocol));
  }

  private static Optional<InetAddress> parseAddress(String s, FieldPath at, Problems problems) {
    try {
      return Optional.of(Cidr.parseAddress(s));
    } catch (IllegalArgumentException e) {
      problems.add(at, e.getMessage());
      return Optional.empty();
    }
  }

  private static List<InetAddress> addresses(Obj spec) {
    return spec.list(
        "addresses",
        (v, at) ->
            Values.string(v, at, spec.problems())
                .flatMap(
                    s -> {
                      try {
                        return Optional.of(Cidr.parseAddress(s));
                      } catch (IllegalArgumentException e) {
                        spec.problems().add(at, e.getMessage());
                        return Optional.empty();
                      }
                    }));
  }

  /** An optional reference to another object by name (a Node, a cluster): a DNS subdomain. */
  private static Optional<String> name(Obj spec, String field) {
    Optional<String> name = spec.string(field);
    name.flatMap(KubernetesNames::checkDnsSubdomain).ifPresent(m -> spec.problems().add(spec.at(field), m));
    return name;
  }

  /** A port's optional name: an IANA service name, unique among the ports read so far. */
  private static Optional<String> portName(Obj p, Set<String> seen) {
    Optional<String> name = p.string("name");
    name.flatMap(KubernetesNames::checkPortName).ifPresent(m -> p.problems().add(p.at("name"), m));
    if (name.isPresent() && !seen.add(name.get())) {
      p.problems().add(p.at("name"), "duplicate port name " + Values.quote(name.get()));
    }
    return name;
  }

  static <T> Optional<T> missing(Obj o, String field) {
    o.raw(field);
    o.problems().add(o.at(field), "required");
    return Optional.empty();
  }
}
