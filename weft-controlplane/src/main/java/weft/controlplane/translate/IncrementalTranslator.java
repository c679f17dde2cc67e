package weft.controlplane.translate;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.Protocol;
import weft.controlplane.registry.Registry;
import weft.controlplane.xds.ProxySnapshot;
import weft.policy.engine.IstioPolicy;
import weft.policy.engine.PolicyEngine;
import weft.policy.export.InboundRbac;

/**
 * The translator as the control plane runs it: each call translates a store revision, re-translating
 * only what the change from the previous call can affect (Istio's "push only to affected proxies").
 * The result always equals a translation from scratch ({@link Translator#translateAll}, which is this
 * class's first call); the property test {@code IncrementalTranslatorProperties} is the specification.
 *
 * <p>What a change affects ({@link Change}):
 * <ul>
 *   <li>a policy (AuthorizationPolicy, NetworkPolicy, Cilium) re-exports the inbound RBAC of the
 *       workloads it selects before or after the change (the policy engine's own selection), and
 *       touches no outbound part;
 *   <li>a Workload re-translates its own proxy, the inbound RBAC of workloads under label policies
 *       (their peer sets follow labels), and the outbound parts: a proxy whose outbound part comes
 *       out equal (it imports no changed service) keeps its snapshot, and one whose clusters and
 *       routes come out equal is pushed EDS only (the xDS server pushes the changed types);
 *   <li>a Service, VirtualService, DestinationRule or PeerAuthentication (auto-mTLS) rebuilds the
 *       outbound parts, compared the same way;
 *   <li>anything else (Namespace, Node) re-translates everything.
 * </ul>
 *
 * <p>Not thread-safe: the control plane calls it on its translate thread only. A call that throws
 * leaves the previous state in place.
 */
public final class IncrementalTranslator {
  private final TranslateOptions options;
  private final FlowLogs logs;
  private final Secret root;
  private State state;
  private Set<String> lastTranslated = Set.of();

  /** One workload's inbound side and what it was made from. */
  private record NodeInbound(List<Listener> listeners, List<Cluster> clusters, List<String> problems) {}

  /** Everything the next call may reuse. */
  private record State(ResourceSet resources, PolicyEngine engine, List<String> policyProblems,
      List<String> trafficProblems, Map<String, Traffic.OutboundPart> outbound, Map<String, OutboundTcp.Plan> tcpPlans,
      Map<String, NodeInbound> inbound, Map<String, List<String>> tcpProblems, Translator.Translation translation) {}

  public IncrementalTranslator(TranslateOptions options) {
    this.options = options;
    this.logs = FlowLogs.of(options.flowCollector(), options.trustDomain());
    this.root = Secret.newBuilder().setName(Envoy.SDS_ROOT)
        .setValidationContext(CertificateValidationContext.newBuilder()
            .setTrustedCa(DataSource.newBuilder().setInlineString(options.caBundlePem())))
        .build();
  }

  /** The node ids whose snapshot the last call built anew (the others kept the previous one). */
  public Set<String> lastTranslated() {
    return lastTranslated;
  }

  public Translator.Translation translate(ResourceSet resources) {
    State prev = state;
    Change change = prev == null ? Change.everything() : Change.between(prev.resources(), resources);
    if (prev != null && change.isEmpty()) {
      lastTranslated = Set.of();
      return prev.translation();
    }

    PolicyEngine engine;
    List<String> policyProblems;
    if (prev == null || change.policyInputs()) {
      Set<String> found = new LinkedHashSet<>();
      engine = Translator.policy(resources, options, found);
      policyProblems = List.copyOf(found);
    } else {
      engine = prev.engine();
      policyProblems = prev.policyProblems();
    }
    boolean engineUsableChanged = prev != null && (prev.engine() == null) != (engine == null);
    boolean allInbound = change.all() || engine == null || prev.engine() == null;
    boolean rebuildTraffic = change.all() || change.traffic() || engineUsableChanged;

    // outbound: one part per client namespace, locality and Sidecar (memoised by Traffic)
    List<Workload> workloads = resources.workloads();
    Map<String, Traffic.OutboundPart> outbound;
    Map<String, OutboundTcp.Plan> tcpPlans;
    List<String> trafficProblems;
    ProxySnapshot proxyless;
    if (rebuildTraffic) {
      Set<String> found = new LinkedHashSet<>();
      Registry registry = Registry.of(resources, options.clusterDomain());
      Traffic traffic = new Traffic(resources, registry, options, engine, found);
      outbound = new HashMap<>();
      tcpPlans = new HashMap<>();
      // clients sharing an outbound part (namespace, locality, Sidecar) share their TCP/TLS plan
      Map<Traffic.OutboundPart, OutboundTcp.Plan> planOfPart = new IdentityHashMap<>();
      for (Workload w : workloads) {
        if (!w.addresses().isEmpty()) {
          Traffic.OutboundPart out = traffic.outbound(w);
          outbound.put(node(w), out);
          tcpPlans.put(node(w), planOfPart.computeIfAbsent(out, part -> {
            OutboundTcp.Plan plan = OutboundTcp.plan(registry.services(), part.clusters());
            found.addAll(plan.problems());
            return plan;
          }));
        }
      }
      proxyless = Proxyless.snapshot(traffic, found);
      trafficProblems = List.copyOf(found);
    } else {
      outbound = prev.outbound();
      tcpPlans = prev.tcpPlans();
      trafficProblems = prev.trafficProblems();
      proxyless = prev.translation().proxyless();
    }

    Set<String> dirty = allInbound ? null : change.dirtyInbound(prev.engine(), engine, workloads);
    Map<String, NodeInbound> inbound = new HashMap<>();
    Map<String, List<String>> tcpProblems = new HashMap<>();
    Map<String, ProxySnapshot> snapshots = new TreeMap<>();
    Set<String> translated = new TreeSet<>();
    ProxySnapshot.Hasher hasher = new ProxySnapshot.Hasher();
    // (new part, previous part) -> equal: parts are shared, but two proxies sharing a new part may
    // have had different ones (a Sidecar that scoped one of them went away)
    Map<Traffic.OutboundPart, Map<Traffic.OutboundPart, Boolean>> sameAsBefore = new IdentityHashMap<>();
    for (Workload w : workloads) {
      String node = node(w);
      NodeInbound in = allInbound || dirty.contains(node) ? null : prev.inbound().get(node);
      boolean inboundReused = in != null;
      if (in == null) {
        in = inbound(w, engine);
      }
      inbound.put(node, in);
      if (w.addresses().isEmpty()) {
        continue;
      }
      Traffic.OutboundPart out = outbound.get(node);
      ProxySnapshot before = prev == null ? null : prev.translation().snapshots().get(node);
      OutboundTcp.Plan plan = tcpPlans.get(node);
      // a TCP port renamed tls-x leaves every cluster as it was but changes the plan: compare both
      if (inboundReused && before != null && (!rebuildTraffic || same(sameAsBefore, out, prev.outbound().get(node))
          && plan.equals(prev.tcpPlans().get(node)))) {
        snapshots.put(node, before);
        tcpProblems.put(node, prev.tcpProblems().get(node));
        continue;
      }
      OutboundTcp.Built tcp = OutboundTcp.listeners(w, plan, logs);
      tcpProblems.put(node, tcp.problems());
      snapshots.put(node, snapshot(w, in, out, tcp.listeners(), hasher));
      translated.add(node);
    }

    List<String> problems = new ArrayList<>(policyProblems);
    problems.addAll(trafficProblems);
    for (Workload w : workloads) {
      problems.addAll(inbound.get(node(w)).problems());
      problems.addAll(tcpProblems.getOrDefault(node(w), List.of()));
    }
    Translator.Translation t = new Translator.Translation(snapshots, proxyless,
        new ArrayList<>(new LinkedHashSet<>(problems)));
    state = new State(resources, engine, policyProblems, trafficProblems, outbound, tcpPlans, inbound, tcpProblems, t);
    lastTranslated = java.util.Collections.unmodifiableSet(translated);
    return t;
  }

  private static boolean same(Map<Traffic.OutboundPart, Map<Traffic.OutboundPart, Boolean>> memo,
      Traffic.OutboundPart next, Traffic.OutboundPart previous) {
    return memo.computeIfAbsent(next, k -> new IdentityHashMap<>())
        .computeIfAbsent(previous, p -> next.equals(p));
  }

  static String node(Workload w) {
    return w.metadata().namespace() + "/" + w.metadata().name();
  }

  /** The workload's inbound listeners and clusters; a workload without an address gets only a problem. */
  private NodeInbound inbound(Workload w, PolicyEngine engine) {
    String node = node(w);
    if (w.addresses().isEmpty()) {
      return new NodeInbound(List.of(), List.of(),
          List.of("Workload " + node + ": spec.addresses: a workload needs an address to get a proxy configuration"));
    }
    List<String> problems = new ArrayList<>();
    List<Listener> listeners = new ArrayList<>();
    List<Cluster> clusters = new ArrayList<>();
    InboundRbac rbac = Translator.rbac(engine, w);
    IstioPolicy istio = engine == null ? null : engine.workload(w.metadata().namespace(), w.metadata().name())
        .map(p -> p.istio()).orElse(null);
    for (WorkloadPort p : w.ports()) {
      if (p.protocol() != Protocol.TCP) {
        problems.add("Workload " + node + ": port " + p.port() + ": protocol " + p.protocol() + " is not proxied by weft (TCP only)");
        continue;
      }
      listeners.add(Inbound.listener(w, p, Translator.mode(istio, p.port()), rbac, logs));
      clusters.add(Inbound.cluster(w, p));
    }
    return new NodeInbound(List.copyOf(listeners), List.copyOf(clusters), List.copyOf(problems));
  }

  private ProxySnapshot snapshot(Workload w, NodeInbound in, Traffic.OutboundPart out, List<Listener> tcp,
      ProxySnapshot.Hasher hasher) {
    List<Listener> listeners = new ArrayList<>(in.listeners());
    listeners.add(Outbound.listener(w, out.faults(), logs));
    listeners.addAll(tcp);
    List<Cluster> clusters = new ArrayList<>(in.clusters());
    clusters.addAll(out.clusters());
    logs.cluster().ifPresent(clusters::add);
    return ProxySnapshot.of(listeners, List.of(out.routes()), clusters, out.endpoints(), List.of(root), hasher);
  }
}
