package weft.policy.lint;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import weft.policy.engine.DirectionPolicy;
import weft.policy.engine.Endpoint;
import weft.policy.engine.Flow;
import weft.policy.engine.MapEntry;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.Verdict;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.lint.Finding.Severity;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;
import weft.policy.model.L7Rules;
import weft.policy.model.LabelPolicy;
import weft.policy.model.Peer;
import weft.policy.model.Protocol;
import weft.policy.model.Rule;
import weft.policy.model.WorkloadInfo;

/**
 * Finds policy mistakes by asking the engine about concrete flows, so every finding comes with an
 * example flow that the same evaluator judges: dead L7 rules, allows shadowed by denies, selectors
 * that match nothing, dialects that disagree, and default deny that allows nothing.
 */
public final class Linter {
  private static final int MAX_DISAGREEMENTS = 20;
  private final PolicyEngine engine;
  private final List<Endpoint> peers = new ArrayList<>();
  private final List<WorkloadPolicy> workloads;

  private Linter(PolicyEngine engine) {
    this.engine = engine;
    this.workloads = engine.workloads().stream().sorted(Comparator.comparing(w -> w.workload().key())).toList();
    for (WorkloadPolicy w : workloads) peers.add(new Endpoint.Workload(w.workload().namespace(), w.workload().name()));
    engine.inputs().nodes().forEach(n -> peers.add(new Endpoint.Node(n.name())));
    peers.add(new Endpoint.Ip(IpAddress.of("203.0.113.1")));
    for (LabelPolicy p : engine.inputs().labelPolicies()) {
      for (Direction d : Direction.values()) {
        for (Rule r : p.rules(d)) {
          for (Peer peer : r.peers()) {
            if (peer instanceof Peer.Block b && !b.cidr().base().v6()) {
              IpAddress inside = new IpAddress(false, 0, b.cidr().base().lo() + (b.cidr().prefix() < 32 ? 1 : 0));
              if (b.contains(inside)) peers.add(new Endpoint.Ip(inside));
            }
          }
        }
      }
    }
  }

  public static List<Finding> lint(PolicyEngine engine) {
    Linter l = new Linter(engine);
    List<Finding> out = new ArrayList<>();
    l.selectorsMatchingNothing(out);
    for (WorkloadPolicy w : l.workloads) {
      for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
        for (Direction dir : Direction.values()) {
          l.deadOrShadowed(w, d, dir, out);
        }
      }
    }
    for (WorkloadPolicy w : l.workloads) l.istioShadowed(w, out);
    l.defaultDenyAllowingNothing(out);
    l.dialectsDisagree(out);
    return out;
  }

  /** The ports worth probing for an entry: its first port, a named port resolved, or 80. */
  private Optional<Integer> port(MapEntry e, WorkloadInfo destination) {
    if (e.protocol() == null) return Optional.of(80);
    if (e.namedPort() != null) {
      int p = destination.namedPort(e.namedPort(), Protocol.TCP);
      return p < 0 ? Optional.empty() : Optional.of(p);
    }
    return Optional.of(e.first() == 0 && e.last() == 65535 ? 80 : e.first());
  }

  private static Protocol protocol(MapEntry e) {
    return e.protocol() == null || e.protocol() == Protocol.ANY ? Protocol.TCP : e.protocol();
  }

  private Flow flow(WorkloadPolicy w, Direction dir, Endpoint peer, Protocol proto, int port) {
    Endpoint me = new Endpoint.Workload(w.workload().namespace(), w.workload().name());
    return dir == Direction.INGRESS ? Flow.tcp(peer, me, port).withProtocol(proto) : Flow.tcp(me, peer, port).withProtocol(proto);
  }

  private void deadOrShadowed(WorkloadPolicy w, Dialect d, Direction dir, List<Finding> out) {
    DirectionPolicy dp = w.label(d, dir);
    for (MapEntry allow : dp.allows()) {
      List<Flow> matching = new ArrayList<>();
      boolean reachable = false;
      boolean shadowedEverywhere = true;
      for (Endpoint peer : peers) {
        if (peer.equals(new Endpoint.Workload(w.workload().namespace(), w.workload().name()))) continue;
        WorkloadInfo dst = dir == Direction.INGRESS ? w.workload() : destination(peer).orElse(null);
        Optional<Integer> port = dst == null && allow.namedPort() != null ? Optional.empty() : port(allow, dst == null ? w.workload() : dst);
        if (port.isEmpty()) continue;
        Protocol proto = protocol(allow);
        if (!engine.matches(w, dir, allow, peer, proto, port.get())) continue;
        Flow f = flow(w, dir, peer, proto, port.get());
        matching.add(f);
        boolean denied = false;
        for (MapEntry deny : dp.denies()) denied |= engine.matches(w, dir, deny, peer, proto, port.get());
        shadowedEverywhere &= denied;
        Verdict v = engine.evaluate(f);
        reachable |= v.dialect(Dialect.KUBERNETES).allowed() && v.dialect(Dialect.CILIUM).allowed();
      }
      if (matching.isEmpty()) continue;
      if (shadowedEverywhere && !dp.denies().isEmpty()) {
        out.add(new Finding(Severity.ERROR, "allow-shadowed-by-deny", allow.rule(),
            "every peer and port this allow matches is denied by a deny rule of " + w.workload().key(), Optional.of(matching.get(0))));
      } else if (!(allow.l7() instanceof L7Rules.None) && !reachable) {
        out.add(new Finding(Severity.ERROR, "dead-l7-rule", allow.rule(),
            "L3/L4 policy never lets these peers reach port " + matching.get(0).port() + " of " + w.workload().key()
                + ", so its L7 rules never apply", Optional.of(matching.get(0))));
      }
    }
  }

  /** An Istio ALLOW rule every sampled match of which some DENY rule of the workload also matches. */
  private void istioShadowed(WorkloadPolicy w, List<Finding> out) {
    if (w.istio().denies().isEmpty()) return;
    Endpoint to = new Endpoint.Workload(w.workload().namespace(), w.workload().name());
    Set<Integer> ports = new java.util.TreeSet<>();
    w.workload().ports().forEach(p -> ports.add(p.port()));
    if (ports.isEmpty()) ports.add(80);
    List<Optional<HttpRequest>> requests = SampleRequests.of(w);
    for (AuthzPolicy allow : w.istio().allows()) {
      for (AuthzPolicy.AuthzRule rule : allow.rules()) {
        Flow example = null;
        boolean shadowed = true;
        for (Endpoint src : peers) {
          if (src.equals(to)) continue;
          for (int port : ports) {
            for (Optional<HttpRequest> request : requests) {
              Flow f = request.map(Flow.tcp(src, to, port)::withHttp).orElse(Flow.tcp(src, to, port));
              if (!engine.matches(rule, false, f)) continue;
              if (example == null) example = f;
              boolean denied = false;
              for (AuthzPolicy deny : w.istio().denies()) {
                for (AuthzPolicy.AuthzRule d : deny.rules()) denied |= engine.matches(d, true, f);
              }
              shadowed &= denied;
            }
          }
        }
        if (example != null && shadowed) {
          out.add(new Finding(Severity.ERROR, "allow-shadowed-by-deny", allow.ref().rule(rule.path()),
              "every sampled request this ALLOW rule matches is denied by a DENY policy of " + w.workload().key(), Optional.of(example)));
        }
      }
    }
  }

  private Optional<WorkloadInfo> destination(Endpoint e) {
    return e instanceof Endpoint.Workload w ? engine.workload(w.namespace(), w.name()).map(WorkloadPolicy::workload) : Optional.empty();
  }

  private void selectorsMatchingNothing(List<Finding> out) {
    List<Map<String, String>> labels = workloads.stream().map(w -> w.identity().labels()).toList();
    for (LabelPolicy p : engine.inputs().labelPolicies()) {
      if (labels.stream().noneMatch(p.subject()::matches)) {
        out.add(new Finding(Severity.WARNING, "selector-matches-nothing", p.ref().rule(p.ref().dialect() == Dialect.KUBERNETES ? "spec.podSelector" : "spec.endpointSelector"),
            "selects no workload, so the policy has no effect", Optional.empty()));
      }
      for (Direction d : Direction.values()) {
        for (Rule r : p.rules(d)) {
          for (Peer peer : r.peers()) {
            if (peer instanceof Peer.Endpoints e && !e.selector().selectsReserved() && labels.stream().noneMatch(e.selector()::matches)) {
              out.add(new Finding(Severity.WARNING, "selector-matches-nothing", p.ref().rule(r.path()),
                  "peer selector " + e.selector() + " selects no workload", Optional.empty()));
            }
          }
        }
      }
    }
    for (AuthzPolicy a : engine.inputs().authzPolicies()) {
      if (a.selector().isEmpty()) continue;
      boolean mesh = a.ref().namespace().equals(engine.options().rootNamespace());
      boolean any = workloads.stream().anyMatch(w -> (mesh || w.workload().namespace().equals(a.ref().namespace()))
          && a.selector().get().matches(w.workload().labels()));
      if (!any) {
        out.add(new Finding(Severity.WARNING, "selector-matches-nothing", a.ref().rule("spec.selector"),
            "selects no workload, so the policy has no effect", Optional.empty()));
      }
    }
  }

  private void defaultDenyAllowingNothing(List<Finding> out) {
    Map<String, List<String>> byPolicy = new LinkedHashMap<>();
    Map<String, Finding> first = new LinkedHashMap<>();
    for (WorkloadPolicy w : workloads) {
      for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
        for (Direction dir : Direction.values()) {
          DirectionPolicy dp = w.label(d, dir);
          if (dp.defaultDeny() == null || !dp.allows().isEmpty()) continue;
          String key = dp.defaultDeny() + " " + dir;
          byPolicy.computeIfAbsent(key, k -> new ArrayList<>()).add(w.workload().key());
          if (first.containsKey(key)) continue;
          Endpoint other = dir == Direction.INGRESS ? peers.stream().filter(p -> !p.toString().equals(w.workload().key())).findFirst().orElse(peers.get(0))
              : new Endpoint.Ip(IpAddress.of("203.0.113.1"));
          boolean denyOnly = !dp.denies().isEmpty();
          first.put(key, new Finding(denyOnly ? Severity.ERROR : Severity.WARNING, "default-deny-allows-nothing", dp.defaultDeny().toString(),
              (denyOnly ? "has only deny rules, yet puts " : "puts ") + "%s into default deny for " + dir.name().toLowerCase(java.util.Locale.ROOT)
                  + " while no rule allows anything" + (denyOnly ? "; set enableDefaultDeny false to deny only what the rules name" : ""),
              Optional.of(flow(w, dir, other, Protocol.TCP, dir == Direction.INGRESS ? 80 : 443))));
        }
      }
    }
    first.forEach((k, f) -> out.add(new Finding(f.severity(), f.check(), f.rule(),
        String.format(f.message(), String.join(", ", byPolicy.get(k))), f.example())));
    for (WorkloadPolicy w : workloads) {
      for (AuthzPolicy a : w.istio().allows()) {
        if (a.rules().isEmpty() && w.istio().allows().size() == 1) {
          out.add(new Finding(Severity.WARNING, "default-deny-allows-nothing", a.ref().toString(),
              "an ALLOW policy without rules denies every request to " + w.workload().key(),
              Optional.of(flow(w, Direction.INGRESS, peers.get(0), Protocol.TCP, 80))));
        }
      }
    }
  }

  private void dialectsDisagree(List<Finding> out) {
    Set<String> seen = new LinkedHashSet<>();
    int found = 0;
    for (WorkloadPolicy dst : workloads) {
      Set<Integer> ports = new java.util.TreeSet<>();
      dst.workload().ports().forEach(p -> ports.add(p.port()));
      for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
        for (MapEntry e : dst.label(d, Direction.INGRESS).allows()) port(e, dst.workload()).ifPresent(ports::add);
      }
      if (ports.isEmpty()) ports.add(80);
      Endpoint to = new Endpoint.Workload(dst.workload().namespace(), dst.workload().name());
      List<Optional<HttpRequest>> requests = SampleRequests.of(dst);
      for (Endpoint src : peers) {
        if (src.equals(to)) continue;
        for (int port : ports) {
          for (Optional<HttpRequest> request : requests) {
            Flow f = request.map(Flow.tcp(src, to, port)::withHttp).orElse(Flow.tcp(src, to, port));
            Optional<Finding> d = disagreement(dst, port, f, seen);
            if (d.isEmpty()) continue;
            out.add(d.get());
            if (++found >= MAX_DISAGREEMENTS) return;
          }
        }
      }
    }
  }

  private Optional<Finding> disagreement(WorkloadPolicy dst, int port, Flow f, Set<String> seen) {
    Verdict v = engine.evaluate(f);
    List<Verdict.DialectVerdict> enforcing = v.dialects().stream()
        .filter(x -> !x.rule().startsWith("no policy selects") && !x.reason().contains("not enforced")).toList();
    boolean someAllow = enforcing.stream().anyMatch(Verdict.DialectVerdict::allowed);
    boolean someDeny = enforcing.stream().anyMatch(x -> !x.allowed());
    if (!someAllow || !someDeny) return Optional.empty();
    String key = enforcing.stream().map(x -> x.dialect() + (x.allowed() ? "+" : "-") + x.rule()).toList().toString();
    if (!seen.add(key)) return Optional.empty();
    StringBuilder msg = new StringBuilder();
    for (Verdict.DialectVerdict x : enforcing) {
      msg.append(msg.isEmpty() ? "" : "; ").append(x.dialect().id()).append(x.allowed() ? " allows" : " denies")
          .append(x.rule().isEmpty() ? "" : " (" + x.rule() + ")");
    }
    return Optional.of(new Finding(Severity.WARNING, "dialects-disagree", dst.workload().key() + " port " + port, msg.toString(), Optional.of(f)));
  }
}
