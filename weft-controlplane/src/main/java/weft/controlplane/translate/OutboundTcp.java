package weft.controlplane.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.FilterChainMatch;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.envoyproxy.envoy.extensions.filters.listener.tls_inspector.v3.TlsInspector;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import weft.api.Workload;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.Protocol;
import weft.controlplane.registry.Endpoint;
import weft.controlplane.registry.MeshService;

/**
 * The outbound side of TCP and TLS service ports (docs/controlplane.md, "Outbound TCP and TLS").
 * weft intercepts nothing, so like Istio's {@code Sidecar} egress listener with an explicit
 * {@code port} and {@code bind} (captureMode NONE) a client dials its own sidecar: one listener per
 * service port on the client's address, {@code outbound_<ip>_<port>}. An opaque TCP port carries no
 * name, so it can stand for one service only; TLS ports are told apart by the ClientHello's SNI
 * ({@code tls_inspector} and {@code filter_chain_match.server_names}). Either way tcp_proxy forwards
 * to the service's {@code outbound|<port>||<fqdn>} cluster, the one HTTP ports use: mesh mTLS wraps
 * the bytes, the application's own TLS included (Istio's TLS-in-mTLS; the app's TLS is never
 * terminated), and the destination's inbound listener unwraps it as it does for any tcp_proxy port.
 */
final class OutboundTcp {
  static final String TLS_INSPECTOR = "envoy.filters.listener.tls_inspector";

  private static final Comparator<Target> BY_NAME = Comparator.comparing((Target t) -> t.service().namespace())
      .thenComparing(t -> t.service().name());

  private OutboundTcp() {}

  /** One TCP or TLS port of one service, as the client sees it. */
  record Target(MeshService service, ServicePort port, Protocols.Kind kind) {
    String cluster() {
      return Clusters.name(port.port(), "", service.fqdn());
    }

    String label() {
      return "Service " + service.namespace() + "/" + service.name() + " port " + port.port()
          + port.name().map(n -> " (" + n + ")").orElse("");
    }
  }

  /**
   * What the TCP and TLS listeners of clients sharing one cluster list (one namespace and locality)
   * are made from: the targets by port, and the problems of ports where services collide. A value:
   * an incremental translation can compare it with the previous one to tell whether those clients'
   * listeners may have changed (a port renamed from tcp-* to tls-* changes no cluster).
   */
  record Plan(Map<Integer, List<Target>> byPort, List<String> problems) {
    Plan {
      byPort = java.util.Collections.unmodifiableMap(new TreeMap<>(byPort));
      problems = List.copyOf(problems);
    }
  }

  /** One client's listeners and what could not be translated for it. */
  record Built(List<Listener> listeners, List<String> problems) {}

  /**
   * The plan for clients with these clusters: the services whose default cluster they have get
   * listeners (so that a scoped client gets listeners for its scope only). Two services on one
   * port where either is opaque TCP are a problem, and neither is translated.
   */
  static Plan plan(Collection<MeshService> services, List<Cluster> clusters) {
    Set<String> reachable = new HashSet<>();
    for (Cluster c : clusters) {
      reachable.add(c.getName());
    }
    Map<Integer, List<Target>> byPort = new TreeMap<>();
    for (MeshService s : services) {
      for (ServicePort p : s.ports()) {
        Protocols.Kind kind = Protocols.kind(p.appProtocol(), p.name());
        // UDP and SCTP are not proxied (the inbound side reports them per workload)
        if (kind == Protocols.Kind.HTTP || p.protocol() != Protocol.TCP) {
          continue;
        }
        Target t = new Target(s, p, kind);
        if (reachable.contains(t.cluster())) {
          byPort.computeIfAbsent(p.port(), k -> new ArrayList<>()).add(t);
        }
      }
    }
    List<String> problems = new ArrayList<>();
    Map<Integer, List<Target>> usable = new TreeMap<>();
    for (Map.Entry<Integer, List<Target>> e : byPort.entrySet()) {
      // a stable order for chains and problems, whatever order the registry keeps
      List<Target> targets = e.getValue().stream().sorted(BY_NAME).toList();
      boolean opaque = targets.stream().anyMatch(t -> t.kind() == Protocols.Kind.TCP);
      if (opaque && targets.size() > 1) {
        problems.add(String.join(" and ", targets.stream().map(Target::label).toList())
            + ": a client's sidecar has one listener per TCP port (outbound_<ip>_" + e.getKey()
            + ") and an opaque TCP connection names no service, so none of them is reachable through the sidecar"
            + " (give one of them another port, or name the ports tls-* when the clients speak TLS with SNI)");
      } else {
        usable.put(e.getKey(), targets);
      }
    }
    return new Plan(usable, problems);
  }

  /**
   * One client's listeners from its plan: none on a port its proxy already listens on (the HTTP
   * outbound port, its own workload ports), which is a problem unless the client is itself a
   * backend of the service on that port.
   */
  static Built listeners(Workload client, Plan plan, FlowLogs logs) {
    String address = client.addresses().get(0).getHostAddress();
    String node = client.metadata().namespace() + "/" + client.metadata().name();
    List<Listener> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (Map.Entry<Integer, List<Target>> e : plan.byPort().entrySet()) {
      int port = e.getKey();
      List<Target> targets = e.getValue();
      String listener = "outbound_" + address + "_" + port;
      if (port == client.proxy().outboundPort()) {
        problems.add("Workload " + node + ": " + labels(targets) + ": the port is the sidecar's HTTP outbound port"
            + " (spec.proxy.outboundPort), so " + listener + " is not created (change the service port or outboundPort)");
        continue;
      }
      if (client.ports().stream().map(WorkloadPort::port).anyMatch(p -> p == port)) {
        // a backend of the service dialing its own address reaches its own inbound listener, as a
        // pod dialing its own IP does: nothing to report
        if (!targets.stream().allMatch(t -> servesItself(client, t))) {
          problems.add("Workload " + node + ": " + labels(targets) + ": the workload's own port " + port
              + " (inbound_" + address + "_" + port + ") takes the address, so " + listener
              + " is not created (change the service port or the workload port)");
        }
        continue;
      }
      boolean opaque = targets.get(0).kind() == Protocols.Kind.TCP;
      out.add(opaque ? tcp(listener, address, port, targets.get(0), logs) : tls(listener, address, port, targets,
          client.metadata().namespace(), logs));
    }
    return new Built(List.copyOf(out), List.copyOf(problems));
  }

  private static String labels(List<Target> targets) {
    return String.join(", ", targets.stream().map(Target::label).toList());
  }

  private static boolean servesItself(Workload client, Target t) {
    for (Endpoint e : t.service().endpoints(t.port().port())) {
      if (e.workload().metadata().namespace().equals(client.metadata().namespace())
          && e.workload().metadata().name().equals(client.metadata().name()) && e.port() == t.port().port()) {
        return true;
      }
    }
    return false;
  }

  private static Listener tcp(String name, String address, int port, Target t, FlowLogs logs) {
    return Listener.newBuilder()
        .setName(name)
        .setAddress(Envoy.address(address, port))
        .addFilterChains(chain(t, logs))
        .build();
  }

  private static Listener tls(String name, String address, int port, List<Target> targets, String clientNamespace,
      FlowLogs logs) {
    Listener.Builder l = Listener.newBuilder()
        .setName(name)
        .setAddress(Envoy.address(address, port))
        .addListenerFilters(ListenerFilter.newBuilder().setName(TLS_INSPECTOR)
            .setTypedConfig(Any.pack(TlsInspector.getDefaultInstance())));
    for (Target t : targets) {
      l.addFilterChains(chain(t, logs).toBuilder().setFilterChainMatch(FilterChainMatch.newBuilder()
          .addAllServerNames(serverNames(t.service(), clientNamespace))));
    }
    return l.build();
  }

  /** tcp_proxy to the service's cluster; Istio names the stats and the chain after the cluster. */
  private static FilterChain chain(Target t, FlowLogs logs) {
    return FilterChain.newBuilder()
        .setName(t.cluster())
        .addFilters(Envoy.filter(Inbound.TCP_PROXY, TcpProxy.newBuilder()
            .setStatPrefix(t.cluster())
            .setCluster(t.cluster())
            .addAllAccessLog(logs.tcp(FlowLogs.OUTBOUND))
            .build()))
        .build();
  }

  /**
   * The SNI names a client may send for a service: the names it may resolve the service by
   * ({@code svc} only in its own namespace, where the short name is unambiguous), as the HTTP
   * virtual host domains without ports (SNI carries no port).
   */
  static List<String> serverNames(MeshService s, String clientNamespace) {
    List<String> names = new ArrayList<>();
    if (s.namespace().equals(clientNamespace)) {
      names.add(s.name());
    }
    names.add(s.name() + "." + s.namespace());
    names.add(s.name() + "." + s.namespace() + ".svc");
    names.add(s.fqdn());
    return names;
  }
}
