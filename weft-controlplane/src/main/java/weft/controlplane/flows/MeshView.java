package weft.controlplane.flows;

import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.controlplane.registry.Registry;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.export.InboundRbac;
import weft.policy.export.RbacExport;
import weft.policy.translate.PolicyTranslator;

/**
 * The mesh as one store revision has it, indexed for turning access log entries into flows:
 * workloads by node id, address and service account, services by FQDN, and the compiled policy
 * engine with each workload's RBAC policy names. Immutable apart from a cache of those names.
 */
final class MeshView {
  final long revision;
  final String trustDomain;
  final Registry registry;
  /** null when the policy set does not compile: the proxies then deny everything inbound. */
  final PolicyEngine engine;
  private final Map<String, Workload> byNode = new HashMap<>();
  private final Map<InetAddress, Workload> byAddress = new HashMap<>();
  private final Map<String, List<Workload>> byAccount = new HashMap<>();
  private final Map<String, Map<String, String>> rbacNames = new ConcurrentHashMap<>();

  MeshView(long revision, ResourceSet resources, EngineOptions options, String clusterDomain) {
    this.revision = revision;
    this.trustDomain = options.trustDomain();
    this.registry = Registry.of(resources, clusterDomain);
    for (Workload w : resources.workloads()) {
      String ns = w.metadata().namespace();
      byNode.put(ns + "/" + w.metadata().name(), w);
      w.addresses().forEach(a -> byAddress.putIfAbsent(a, w));
      byAccount.computeIfAbsent(ns + "/" + w.serviceAccount(), k -> new ArrayList<>()).add(w);
    }
    this.engine = compile(resources, options);
  }

  private static PolicyEngine compile(ResourceSet resources, EngineOptions options) {
    try {
      PolicyTranslator.Translation t = PolicyTranslator.translate(resources);
      return t.problems().isEmpty() ? PolicyEngine.compile(t.inputs(), options) : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  Optional<Workload> node(String nodeId) {
    return Optional.ofNullable(byNode.get(nodeId));
  }

  Optional<Workload> byAddress(InetAddress a) {
    return a == null ? Optional.empty() : Optional.ofNullable(byAddress.get(a));
  }

  /**
   * The workload a SPIFFE ID ({@code spiffe://<td>/ns/<ns>/sa/<sa>}) belongs to; when several share
   * the service account, the one at {@code address}, else none.
   */
  Optional<Workload> bySpiffeId(String id, InetAddress address) {
    String prefix = "spiffe://" + trustDomain + "/ns/";
    if (id == null || !id.startsWith(prefix)) {
      return Optional.empty();
    }
    String[] parts = id.substring(prefix.length()).split("/", -1);
    if (parts.length != 3 || !parts[1].equals("sa")) {
      return Optional.empty();
    }
    List<Workload> ws = byAccount.getOrDefault(parts[0] + "/" + parts[2], List.of());
    if (ws.size() == 1) {
      return Optional.of(ws.getFirst());
    }
    return ws.stream().filter(w -> address != null && w.addresses().contains(address)).findFirst();
  }

  String spiffeId(Workload w) {
    return "spiffe://" + trustDomain + "/ns/" + w.metadata().namespace() + "/sa/" + w.serviceAccount();
  }

  Optional<WorkloadPolicy> policy(Workload w) {
    return engine == null ? Optional.empty() : engine.workload(w.metadata().namespace(), w.metadata().name());
  }

  /**
   * The RBAC policy names exported for {@code w}'s inbound side, as Envoy reports them in details
   * (whitespace replaced by {@code _}, Envoy's RBAC::responseDetail), to the name as exported.
   */
  Map<String, String> rbacNames(Workload w) {
    return rbacNames.computeIfAbsent(w.metadata().namespace() + "/" + w.metadata().name(), k -> {
      Map<String, String> names = new HashMap<>();
      policy(w).ifPresent(p -> {
        InboundRbac rbac = RbacExport.export(engine, p);
        rbac.tcpNetwork().forEach(r -> add(names, r.getRules()));
        rbac.httpNetwork().forEach(r -> add(names, r.getRules()));
        rbac.http().forEach(r -> add(names, r.getRules()));
      });
      return Map.copyOf(names);
    });
  }

  private static void add(Map<String, String> names, RBAC rules) {
    for (String name : rules.getPoliciesMap().keySet()) {
      names.put(name.replaceAll("\\s", "_"), name);
      names.put(name, name);
    }
  }
}
