package weft.policy.engine;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.policy.identity.Identities;
import weft.policy.identity.Identity;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.IpAddress;
import weft.policy.model.LabelPolicy;
import weft.policy.model.NodeInfo;
import weft.policy.model.PolicyInputs;
import weft.policy.model.Protocol;
import weft.policy.model.WorkloadInfo;

/**
 * The compiled policy of a whole mesh: identities, and for every workload each dialect's policy
 * map per direction. Immutable and safe to share between threads; {@link #evaluate} allocates only
 * its result and the trace strings.
 */
public final class PolicyEngine {
  private final PolicyInputs inputs;
  private final EngineOptions options;
  private final Identities identities;
  private final Map<String, WorkloadPolicy> workloads;
  private final Map<String, NodeInfo> nodes;
  private final Map<IpAddress, WorkloadInfo> workloadByIp;
  private final Map<IpAddress, NodeInfo> nodeByIp;

  private PolicyEngine(PolicyInputs inputs, EngineOptions options) {
    this.inputs = inputs;
    this.options = options;
    this.identities = Identities.allocate(inputs.workloads(), inputs.namespaces());
    SelectorCache cache = new SelectorCache(identities);
    LabelPolicyCompiler compiler = new LabelPolicyCompiler(cache);
    List<LabelPolicy> k8s = new ArrayList<>();
    List<LabelPolicy> cilium = new ArrayList<>();
    for (LabelPolicy p : inputs.labelPolicies()) {
      switch (p.ref().dialect()) {
        case KUBERNETES -> k8s.add(p);
        case CILIUM -> cilium.add(p);
        case ISTIO -> throw new IllegalArgumentException(p.ref() + ": an Istio policy is not a label policy");
      }
    }
    Map<String, WorkloadPolicy> ws = new HashMap<>();
    Map<IpAddress, WorkloadInfo> byIp = new HashMap<>();
    for (WorkloadInfo w : inputs.workloads()) {
      Identity id = identities.of(w.key());
      DirectionPolicy[] label = new DirectionPolicy[4];
      for (Direction d : Direction.values()) {
        label[WorkloadPolicy.slot(Dialect.KUBERNETES, d)] = compiler.compile(k8s, w, id, d);
        label[WorkloadPolicy.slot(Dialect.CILIUM, d)] = compiler.compile(cilium, w, id, d);
      }
      IstioPolicy istio = IstioPolicy.of(w, inputs.authzPolicies(), inputs.mtlsPolicies(), options.rootNamespace());
      ws.put(w.key(), new WorkloadPolicy(w, id, identities.index(id), label, istio));
      for (IpAddress a : w.addresses()) byIp.putIfAbsent(a, w);
    }
    this.workloads = Map.copyOf(ws);
    this.workloadByIp = Map.copyOf(byIp);
    Map<String, NodeInfo> ns = new HashMap<>();
    Map<IpAddress, NodeInfo> nodeIps = new HashMap<>();
    for (NodeInfo n : inputs.nodes()) {
      ns.put(n.name(), n);
      for (IpAddress a : n.addresses()) nodeIps.putIfAbsent(a, n);
    }
    this.nodes = Map.copyOf(ns);
    this.nodeByIp = Map.copyOf(nodeIps);
  }

  public static PolicyEngine compile(PolicyInputs inputs, EngineOptions options) {
    return new PolicyEngine(inputs, options);
  }

  public PolicyInputs inputs() {
    return inputs;
  }

  public EngineOptions options() {
    return options;
  }

  public Identities identities() {
    return identities;
  }

  public Optional<WorkloadPolicy> workload(String namespace, String name) {
    return Optional.ofNullable(workloads.get(namespace + "/" + name));
  }

  public Collection<WorkloadPolicy> workloads() {
    return workloads.values();
  }

  /** Judges a flow: both ends for Kubernetes and Cilium, the destination for Istio. */
  public Verdict evaluate(Flow flow) {
    Party src = resolve(flow.source());
    Party dst = resolve(flow.destination());
    List<Verdict.DialectVerdict> out = new ArrayList<>(3);
    for (Dialect d : new Dialect[] {Dialect.KUBERNETES, Dialect.CILIUM}) {
      Decision egress = src.isWorkload()
          ? LabelPolicyEvaluator.decide(d, policy(src).label(d, Direction.EGRESS), Direction.EGRESS, src, dst, dst, flow, indexOf(dst, src))
          : Decision.notSelected("source " + src.describe() + " is not a workload: no egress policy");
      Decision ingress = dst.isWorkload()
          ? LabelPolicyEvaluator.decide(d, policy(dst).label(d, Direction.INGRESS), Direction.INGRESS, dst, src, dst, flow, indexOf(src, dst))
          : Decision.notSelected("destination " + dst.describe() + " is not a workload: no ingress policy");
      out.add(combine(d, egress, ingress));
    }
    Decision istio = dst.isWorkload()
        ? IstioEvaluator.decide(policy(dst).istio, dst, istioRequest(flow, src, dst))
        : Decision.notSelected("destination " + dst.describe() + " has no sidecar: not enforced");
    out.add(toVerdict(Dialect.ISTIO, istio));
    boolean allowed = true;
    DenyMode mode = null;
    for (Verdict.DialectVerdict v : out) {
      if (!v.allowed()) {
        allowed = false;
        mode = mode == null ? v.denyMode().orElseThrow() : DenyMode.first(mode, v.denyMode().orElseThrow());
      }
    }
    return new Verdict(allowed, Optional.ofNullable(mode), out);
  }

  /**
   * Whether compiled entry {@code e} of {@code subject}'s map for {@code direction} matches peer
   * {@code peer} on {@code protocol}/{@code port} (lint asks this of example flows).
   */
  public boolean matches(WorkloadPolicy subject, Direction direction, MapEntry e, Endpoint peer, Protocol protocol, int port) {
    Party s = party(subject.workload);
    Party p = resolve(peer);
    Party destination = direction == Direction.INGRESS ? s : p;
    return e.matchesPort(protocol, port, destination) && e.peers().contains(indexOf(p, s), p, p.isWorld());
  }

  private WorkloadPolicy policy(Party p) {
    return workloads.get(p.workload().key());
  }

  /** The identity index of {@code p} as seen from {@code other}. */
  private int indexOf(Party p, Party other) {
    if (p.isWorkload()) return policy(p).identityIndex;
    ReservedIdentity r = p.reservedAsSeenFrom(other);
    return identities.index(r);
  }

  private IstioEvaluator.Request istioRequest(Flow flow, Party src, Party dst) {
    boolean mtls = flow.mtls().orElse(src.isWorkload() && flow.principal().isEmpty() ? true : flow.principal().isPresent());
    String principal = null;
    if (mtls) {
      String spiffe = flow.principal().orElseGet(() -> src.isWorkload() ? Identities.spiffeId(options.trustDomain(), src.workload()) : null);
      if (spiffe != null) principal = spiffe.startsWith("spiffe://") ? spiffe.substring(9) : spiffe;
    }
    String namespace = null;
    if (principal != null) {
      int i = principal.indexOf("/ns/");
      if (i >= 0) {
        int j = principal.indexOf('/', i + 4);
        namespace = j < 0 ? principal.substring(i + 4) : principal.substring(i + 4, j);
      }
    }
    IpAddress remote = flow.remoteIp().orElse(src.ip());
    return new IstioEvaluator.Request(flow, mtls, principal, namespace, src.ip(), remote, dst.ip());
  }

  private static Verdict.DialectVerdict combine(Dialect d, Decision egress, Decision ingress) {
    if (egress.denied()) return toVerdict(d, egress);
    if (ingress.denied()) return toVerdict(d, ingress);
    if (egress.outcome() == Decision.Outcome.NOT_SELECTED && ingress.outcome() == Decision.Outcome.NOT_SELECTED) {
      // name the end a user asks about: the destination workload, else the source
      String rule = ingress.reason().startsWith("no policy selects") ? ingress.reason() : egress.reason();
      return new Verdict.DialectVerdict(d, true, Optional.empty(), rule, ingress.reason() + "; " + egress.reason());
    }
    String rule = !ingress.rule().isEmpty() ? ingress.rule() : egress.rule();
    return new Verdict.DialectVerdict(d, true, Optional.empty(), rule, egress.reason() + "; " + ingress.reason());
  }

  private static Verdict.DialectVerdict toVerdict(Dialect d, Decision x) {
    String rule = x.outcome() == Decision.Outcome.NOT_SELECTED ? x.reason() : x.rule();
    return new Verdict.DialectVerdict(d, !x.denied(), Optional.ofNullable(x.mode()), rule, x.reason());
  }

  private Party resolve(Endpoint e) {
    return switch (e) {
      case Endpoint.Workload w -> {
        WorkloadPolicy p = workloads.get(w.namespace() + "/" + w.name());
        if (p == null) throw new IllegalArgumentException("unknown workload " + w + " (expected: a Workload in the inputs)");
        yield party(p.workload);
      }
      case Endpoint.Node n -> {
        NodeInfo node = nodes.get(n.name());
        if (node == null) throw new IllegalArgumentException("unknown node " + n.name() + " (expected: a Node in the inputs)");
        yield new Party(null, node, node.addresses().isEmpty() ? null : node.addresses().get(0), null);
      }
      case Endpoint.Ip ip -> {
        WorkloadInfo w = workloadByIp.get(ip.address());
        if (w != null) yield new Party(w, null, ip.address(), identities.of(w.key()));
        NodeInfo node = nodeByIp.get(ip.address());
        if (node != null) yield new Party(null, node, ip.address(), null);
        yield new Party(null, null, ip.address(), ReservedIdentity.WORLD.identity());
      }
    };
  }

  private Party party(WorkloadInfo w) {
    return new Party(w, null, w.addresses().isEmpty() ? null : w.addresses().get(0), identities.of(w.key()));
  }
}
