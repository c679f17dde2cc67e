package weft.controlplane.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.Protocol;
import weft.controlplane.registry.Registry;
import weft.controlplane.xds.ProxySnapshot;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.IstioPolicy;
import weft.policy.engine.PolicyEngine;
import weft.policy.export.InboundRbac;
import weft.policy.export.RbacExport;
import weft.policy.model.MtlsPolicy;
import weft.policy.translate.PolicyTranslator;

/**
 * The control plane's translation: a pure function from resources to one xDS snapshot per proxy
 * (node id {@code ns/workload}) plus the default snapshot for proxyless gRPC clients. Same input,
 * same output (and same content hashes); a resource change only changes the snapshots of the
 * proxies it affects.
 */
public final class Translator {
  private Translator() {}

  /**
   * Everything one translation produces.
   *
   * @param snapshots node id {@code ns/name} -> snapshot, for every workload with an address
   * @param proxyless the snapshot for any other node id (proxyless gRPC clients)
   * @param problems what could not be translated (each names the resource and field), in order
   */
  public record Translation(Map<String, ProxySnapshot> snapshots, ProxySnapshot proxyless, List<String> problems) {
    public Translation {
      snapshots = java.util.Collections.unmodifiableMap(new TreeMap<>(snapshots));
      problems = List.copyOf(problems);
    }
  }

  /** The per-proxy snapshots; see {@link #translateAll} for the problems and the proxyless default. */
  public static Map<String, ProxySnapshot> translate(ResourceSet resources, TranslateOptions options) {
    return translateAll(resources, options).snapshots();
  }

  public static Translation translateAll(ResourceSet resources, TranslateOptions options) {
    Set<String> problems = new LinkedHashSet<>();
    Registry registry = Registry.of(resources, options.clusterDomain());
    PolicyEngine engine = policy(resources, options, problems);
    Traffic traffic = new Traffic(resources, registry, options, engine, problems);
    Secret root = Secret.newBuilder().setName(Envoy.SDS_ROOT)
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setInlineString(options.caBundlePem())))
        .build();
    Map<String, ProxySnapshot> snapshots = new TreeMap<>();
    FlowLogs logs = FlowLogs.of(options.flowCollector(), options.trustDomain());
    // clients sharing an outbound part (namespace and locality) share their TCP/TLS plan
    Map<Traffic.OutboundPart, OutboundTcp.Plan> tcpPlans = new java.util.IdentityHashMap<>();
    // proxies share most resource objects (Traffic memoises them): hash each object once
    ProxySnapshot.Hasher hasher = new ProxySnapshot.Hasher();
    for (Workload w : resources.workloads()) {
      String node = w.metadata().namespace() + "/" + w.metadata().name();
      if (w.addresses().isEmpty()) {
        problems.add("Workload " + node + ": spec.addresses: a workload needs an address to get a proxy configuration");
        continue;
      }
      List<Listener> listeners = new ArrayList<>();
      List<Cluster> clusters = new ArrayList<>();
      InboundRbac rbac = rbac(engine, w);
      IstioPolicy istio = engine == null ? null : engine.workload(w.metadata().namespace(), w.metadata().name())
          .map(p -> p.istio()).orElse(null);
      for (WorkloadPort p : w.ports()) {
        if (p.protocol() != Protocol.TCP) {
          problems.add("Workload " + node + ": port " + p.port() + ": protocol " + p.protocol() + " is not proxied by weft (TCP only)");
          continue;
        }
        listeners.add(Inbound.listener(w, p, mode(istio, p.port()), rbac, logs));
        clusters.add(Inbound.cluster(w, p));
      }
      Traffic.OutboundPart out = traffic.outbound(w);
      listeners.add(Outbound.listener(w, out.faults(), logs));
      OutboundTcp.Plan plan = tcpPlans.get(out);
      if (plan == null) {
        plan = OutboundTcp.plan(registry.services(), out.clusters());
        tcpPlans.put(out, plan);
        problems.addAll(plan.problems());
      }
      OutboundTcp.Built tcp = OutboundTcp.listeners(w, plan, logs);
      listeners.addAll(tcp.listeners());
      problems.addAll(tcp.problems());
      clusters.addAll(out.clusters());
      logs.cluster().ifPresent(clusters::add);
      List<RouteConfiguration> routes = List.of(out.routes());
      List<ClusterLoadAssignment> endpoints = out.endpoints();
      snapshots.put(node, ProxySnapshot.of(listeners, routes, clusters, endpoints, List.of(root), hasher));
    }
    ProxySnapshot proxyless = Proxyless.snapshot(traffic, problems);
    return new Translation(snapshots, proxyless, new ArrayList<>(problems));
  }

  /**
   * The effective PeerAuthentication mode of a workload port (the policy engine applies Istio's
   * precedence: workload selector > namespace > root namespace; port-level wins for its port).
   * Without a usable policy engine inbound is STRICT: fail closed.
   */
  static MtlsPolicy.Mode mode(IstioPolicy istio, int port) {
    if (istio == null) {
      return MtlsPolicy.Mode.STRICT;
    }
    MtlsPolicy.Mode m = istio.portModes().getOrDefault(port, MtlsPolicy.Mode.UNSET);
    if (m == MtlsPolicy.Mode.UNSET) {
      m = istio.mode();
    }
    return m == MtlsPolicy.Mode.UNSET ? MtlsPolicy.Mode.PERMISSIVE : m;
  }

  private static PolicyEngine policy(ResourceSet resources, TranslateOptions options, Set<String> problems) {
    PolicyTranslator.Translation t = PolicyTranslator.translate(resources);
    if (!t.problems().isEmpty()) {
      t.problems().forEach(p -> problems.add("policy: " + p + " (inbound traffic is denied until it is fixed)"));
      return null;
    }
    try {
      return PolicyEngine.compile(t.inputs(), new EngineOptions(options.trustDomain(), options.rootNamespace()));
    } catch (IllegalArgumentException e) {
      problems.add("policy: " + e.getMessage() + " (inbound traffic is denied until it is fixed)");
      return null;
    }
  }

  /** The workload's RBAC export; with an unusable policy, a deny-all (an unsupported policy never allows). */
  private static InboundRbac rbac(PolicyEngine engine, Workload w) {
    if (engine != null) {
      var p = engine.workload(w.metadata().namespace(), w.metadata().name());
      if (p.isPresent()) {
        return RbacExport.export(engine, p.get());
      }
    }
    var denyAll = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
        .setStatPrefix("inbound_policy_error.")
        .setRules(io.envoyproxy.envoy.config.rbac.v3.RBAC.newBuilder()
            .setAction(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.ALLOW))
        .build();
    return new InboundRbac(List.of(denyAll), List.of(denyAll), List.of());
  }
}
