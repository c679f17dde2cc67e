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
import weft.policy.model.AuthzPolicy;
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
 * map per direction. Immutable and safe to share between threads. {@link #check} is the data path
 * (map lookups, no strings); {@link #evaluate} runs the same lookups and explains the verdict.
 */
public final class PolicyEngine {
  private final PolicyInputs inputs;
  private final EngineOptions options;
  private final Identities identities;
  private final Map<Endpoint.Workload, WorkloadPolicy> workloads;
  private final Map<String, Party> nodes;
  private final Map<IpAddress, WorkloadPolicy> workloadByIp;
  private final Map<IpAddress, Party> nodeByIp;

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
    Map<Endpoint.Workload, WorkloadPolicy> ws = new HashMap<>();
    Map<IpAddress, WorkloadPolicy> byIp = new HashMap<>();
    for (WorkloadInfo w : inputs.workloads()) {
      Identity id = identities.of(w.key());
      DirectionPolicy[] label = new DirectionPolicy[4];
      for (Direction d : Direction.values()) {
        label[WorkloadPolicy.slot(Dialect.KUBERNETES, d)] = compiler.compile(k8s, w, id, d);
        label[WorkloadPolicy.slot(Dialect.CILIUM, d)] = compiler.compile(cilium, w, id, d);
      }
      IstioPolicy istio = IstioPolicy.of(w, inputs.authzPolicies(), inputs.mtlsPolicies(), options.rootNamespace());
      WorkloadPolicy wp = new WorkloadPolicy(w, id, identities.index(id), label, istio, options.trustDomain());
      if (ws.put(new Endpoint.Workload(w.namespace(), w.name()), wp) != null) {
        throw new IllegalArgumentException("duplicate workload " + w.key());
      }
      for (IpAddress a : w.addresses()) byIp.putIfAbsent(a, wp);
    }
    this.workloads = Map.copyOf(ws);
    this.workloadByIp = Map.copyOf(byIp);
    Map<String, Party> ns = new HashMap<>();
    Map<IpAddress, Party> nodeIps = new HashMap<>();
    for (NodeInfo n : inputs.nodes()) {
      Party p = new Party(null, n, n.addresses().isEmpty() ? null : n.addresses().get(0));
      ns.put(n.name(), p);
      for (IpAddress a : n.addresses()) nodeIps.putIfAbsent(a, p);
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
    return Optional.ofNullable(workloads.get(new Endpoint.Workload(namespace, name)));
  }

  public Collection<WorkloadPolicy> workloads() {
    return workloads.values();
  }

  /** Judges a flow and explains it: both ends for Kubernetes and Cilium, the destination for Istio. */
  public Verdict evaluate(Flow flow) {
    Party src = resolve(flow.source());
    Party dst = resolve(flow.destination());
    List<Verdict.DialectVerdict> out = new ArrayList<>(3);
    for (Dialect d : LABEL_DIALECTS) {
      Decision egress = src.isWorkload()
          ? LabelPolicyEvaluator.decide(src.policy().label(d, Direction.EGRESS), Direction.EGRESS, src, dst, dst, flow, indexOf(dst, src), true)
          : Decision.notSelected("source " + src.describe() + " is not a workload: no egress policy");
      Decision ingress = dst.isWorkload()
          ? LabelPolicyEvaluator.decide(dst.policy().label(d, Direction.INGRESS), Direction.INGRESS, dst, src, dst, flow, indexOf(src, dst), true)
          : Decision.notSelected("destination " + dst.describe() + " is not a workload: no ingress policy");
      out.add(combine(d, egress, ingress));
    }
    Decision istio = dst.isWorkload()
        ? IstioEvaluator.decide(dst.policy().istio, dst, istioRequest(flow, src, dst), true)
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
   * The data-path form of {@link #evaluate}: the same lookups, no explanation. Returns null when
   * the flow is allowed, else how the denial shows. Allocates nothing for flows between known
   * workloads and nodes.
   */
  public DenyMode check(Flow flow) {
    Party src = resolve(flow.source());
    Party dst = resolve(flow.destination());
    DenyMode mode = null;
    for (Dialect d : LABEL_DIALECTS) {
      if (src.isWorkload()) {
        Decision x = LabelPolicyEvaluator.decide(src.policy().label(d, Direction.EGRESS), Direction.EGRESS, src, dst, dst, flow, indexOf(dst, src), false);
        if (x.denied()) mode = mode == null ? x.mode() : DenyMode.first(mode, x.mode());
      }
      if (dst.isWorkload()) {
        Decision x = LabelPolicyEvaluator.decide(dst.policy().label(d, Direction.INGRESS), Direction.INGRESS, dst, src, dst, flow, indexOf(src, dst), false);
        if (x.denied()) mode = mode == null ? x.mode() : DenyMode.first(mode, x.mode());
      }
    }
    if (dst.isWorkload() && dst.policy().istio.selected()) {
      Decision x = IstioEvaluator.decide(dst.policy().istio, dst, istioRequest(flow, src, dst), false);
      if (x.denied()) mode = mode == null ? x.mode() : DenyMode.first(mode, x.mode());
    }
    return mode;
  }

  private static final Dialect[] LABEL_DIALECTS = {Dialect.KUBERNETES, Dialect.CILIUM};

  /**
   * Whether compiled entry {@code e} of {@code subject}'s map for {@code direction} matches peer
   * {@code peer} on {@code protocol}/{@code port} (lint asks this of example flows).
   */
  public boolean matches(WorkloadPolicy subject, Direction direction, MapEntry e, Endpoint peer, Protocol protocol, int port) {
    Party s = subject.party;
    Party p = resolve(peer);
    Party destination = direction == Direction.INGRESS ? s : p;
    return e.matchesPort(protocol, port, destination) && e.peers().contains(indexOf(p, s), p, p.isWorld());
  }

  /**
   * Whether Istio rule {@code rule} of a {@code deny} or allow policy matches {@code flow} at its
   * destination workload (lint asks this of sampled flows).
   */
  public boolean matches(AuthzPolicy.AuthzRule rule, boolean deny, Flow flow) {
    Party src = resolve(flow.source());
    Party dst = resolve(flow.destination());
    return IstioEvaluator.matches(rule, istioRequest(flow, src, dst), deny);
  }

  /** The identity index of {@code p} as seen from {@code other}. */
  private int indexOf(Party p, Party other) {
    if (p.isWorkload()) return p.policy().identityIndex;
    ReservedIdentity r = p.reservedAsSeenFrom(other);
    return identities.index(r);
  }

  private IstioEvaluator.Request istioRequest(Flow flow, Party src, Party dst) {
    boolean mtls = flow.mtls().orElse(src.isWorkload() || flow.principal().isPresent());
    String principal = null;
    String namespace = null;
    if (mtls && flow.principal().isEmpty() && src.isWorkload()) {
      principal = src.policy().principal;
      namespace = src.workload().namespace();
    } else if (mtls && flow.principal().isPresent()) {
      String spiffe = flow.principal().get();
      principal = spiffe.startsWith("spiffe://") ? spiffe.substring(9) : spiffe;
      int i = principal.indexOf("/ns/");
      if (i >= 0) {
        int j = principal.indexOf('/', i + 4);
        namespace = j < 0 ? principal.substring(i + 4) : principal.substring(i + 4, j);
      }
    }
    IpAddress remote = flow.remoteIp().isPresent() ? flow.remoteIp().get() : src.ip();
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
        WorkloadPolicy p = workloads.get(w);
        if (p == null) throw new IllegalArgumentException("unknown workload " + w + " (expected: a Workload in the inputs)");
        yield p.party;
      }
      case Endpoint.Node n -> {
        Party p = nodes.get(n.name());
        if (p == null) throw new IllegalArgumentException("unknown node " + n.name() + " (expected: a Node in the inputs)");
        yield p;
      }
      case Endpoint.Ip ip -> {
        WorkloadPolicy w = workloadByIp.get(ip.address());
        if (w != null) yield ip.address().equals(w.party.ip()) ? w.party : new Party(w, null, ip.address());
        Party node = nodeByIp.get(ip.address());
        if (node != null) yield node;
        yield new Party(null, null, ip.address());
      }
    };
  }
}
