package weft.policy.export;

import io.envoyproxy.envoy.config.rbac.v3.Permission;
import io.envoyproxy.envoy.config.rbac.v3.Policy;
import io.envoyproxy.envoy.config.rbac.v3.Principal;
import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import weft.policy.engine.DirectionPolicy;
import weft.policy.engine.MapEntry;
import weft.policy.engine.PeerSet;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.identity.Identity;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Cidr;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.IpAddress;
import weft.policy.model.L7Rules;
import weft.policy.model.NodeInfo;
import weft.policy.model.Peer;
import weft.policy.model.Protocol;
import weft.policy.model.WorkloadInfo;

/**
 * Exports a workload's compiled Kubernetes or Cilium ingress map. Peers become source-IP
 * principals (the identity of a peer is derived from its address, as Cilium's ipcache does); only
 * TCP entries are exported (the proxy's RBAC filters see TCP connections).
 */
final class LabelRbac {
  private final PolicyEngine engine;
  private final WorkloadPolicy subject;

  LabelRbac(PolicyEngine engine, WorkloadPolicy subject) {
    this.engine = engine;
    this.subject = subject;
  }

  /** DENY then ALLOW network RBAC for one dialect; empty when the dialect does not select it. */
  List<RBAC> network(Dialect d) {
    DirectionPolicy dp = subject.label(d, Direction.INGRESS);
    List<RBAC> out = new ArrayList<>();
    if (!dp.selected()) return out;
    if (!dp.denies().isEmpty()) {
      RBAC.Builder deny = RBAC.newBuilder().setAction(RBAC.Action.DENY);
      int i = 0;
      for (MapEntry e : dp.denies()) {
        Optional<Permission> port = port(e);
        if (port.isPresent()) deny.putPolicies(i++ + " " + e.rule(), policy(port.get(), principal(e.peers())));
      }
      out.add(deny.build());
    }
    if (dp.defaultDeny() != null) {
      RBAC.Builder allow = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
      ownNode().ifPresent(p -> allow.putPolicies("own node", policy(Rbac.ANY_PERMISSION, p)));
      int i = 0;
      for (MapEntry e : dp.allows()) {
        Optional<Permission> port = port(e);
        // Kafka rules have no Envoy RBAC form: not exported, so their traffic fails closed
        if (port.isPresent() && !(e.l7() instanceof L7Rules.Kafka)) {
          allow.putPolicies(i++ + " " + e.rule(), policy(port.get(), principal(e.peers())));
        }
      }
      out.add(allow.build());
    }
    return out;
  }

  /** Cilium's HTTP rules as an ALLOW HTTP RBAC, when the workload is in default deny and has some. */
  Optional<RBAC> http(Dialect d) {
    DirectionPolicy dp = subject.label(d, Direction.INGRESS);
    if (dp.defaultDeny() == null || dp.allows().stream().noneMatch(e -> e.l7() instanceof L7Rules.Http)) {
      return Optional.empty();
    }
    RBAC.Builder allow = RBAC.newBuilder().setAction(RBAC.Action.ALLOW);
    ownNode().ifPresent(p -> allow.putPolicies("own node", policy(Rbac.ANY_PERMISSION, p)));
    int i = 0;
    for (MapEntry e : dp.allows()) {
      Optional<Permission> port = port(e);
      if (port.isEmpty()) continue;
      Permission perm = switch (e.l7()) {
        case L7Rules.None n -> port.get();
        case L7Rules.Http h -> Rbac.andRules(List.of(port.get(), Rbac.or(h.rules().stream().map(LabelRbac::httpRule).toList(), true)));
        case L7Rules.Kafka k -> null;
      };
      if (perm != null) allow.putPolicies(i++ + " " + e.rule(), policy(perm, principal(e.peers())));
    }
    return Optional.of(allow.build());
  }

  private static Permission httpRule(L7Rules.HttpRule r) {
    List<Permission> and = new ArrayList<>();
    r.method().ifPresent(m -> and.add(Rbac.header(":method", Rbac.regex(m.source()))));
    r.urlPath().ifPresent(m -> and.add(Rbac.header(":path", Rbac.regex(m.source()))));
    r.host().ifPresent(m -> and.add(Rbac.header(":authority", Rbac.regex(m.source()))));
    for (L7Rules.HeaderMatch h : r.headers()) {
      and.add(h.value().isPresent() ? Rbac.header(h.name(), Rbac.exact(h.value().get())) : Rbac.headerPresent(h.name()));
    }
    return Rbac.andRules(and);
  }

  private static Policy policy(Permission perm, Principal p) {
    return Policy.newBuilder().addPermissions(perm).addPrincipals(p).build();
  }

  private Optional<Permission> port(MapEntry e) {
    if (e.protocol() == null) return Optional.of(Rbac.ANY_PERMISSION);
    if (!e.protocol().covers(Protocol.TCP)) return Optional.empty();
    if (e.namedPort() == null) return Optional.of(Rbac.ports(e.first(), e.last()));
    int p = subject.workload().namedPort(e.namedPort(), Protocol.TCP);
    return p < 0 ? Optional.empty() : Optional.of(Rbac.ports(p, p));
  }

  private Optional<Principal> ownNode() {
    return subject.workload().node().flatMap(this::node).map(n -> Rbac.or(hosts(n.addresses())));
  }

  private Optional<NodeInfo> node(String name) {
    return engine.inputs().nodes().stream().filter(n -> n.name().equals(name)).findFirst();
  }

  private Principal principal(PeerSet peers) {
    if (peers.any()) return Rbac.ANY_PRINCIPAL;
    List<Principal> ids = new ArrayList<>();
    BitSet bits = peers.identities();
    List<Identity> all = engine.identities().all();
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      Identity id = all.get(i);
      if (!id.reserved()) {
        for (WorkloadInfo w : engine.inputs().workloads()) {
          if (engine.identities().of(w.key()).equals(id)) ids.addAll(hosts(w.addresses()));
        }
        continue;
      }
      ReservedIdentity r = ReservedIdentity.values()[i];
      switch (r) {
        case HOST -> ownNode().ifPresent(ids::add);
        case REMOTE_NODE -> {
          for (NodeInfo n : engine.inputs().nodes()) {
            if (!subject.workload().node().equals(Optional.of(n.name()))) ids.addAll(hosts(n.addresses()));
          }
        }
        case WORLD -> ids.add(world());
        // weft has no endpoints with these identities
        case UNMANAGED, HEALTH, INIT, KUBE_APISERVER -> {}
      }
    }
    for (Peer.Block b : peers.blocks()) {
      List<Principal> and = new ArrayList<>();
      and.add(Rbac.directIp(b.cidr()));
      if (!b.except().isEmpty()) and.add(Rbac.not(Rbac.or(b.except().stream().map(Rbac::directIp).toList())));
      if (!b.matchesClusterPeers()) and.add(world());
      ids.add(Rbac.and(and));
    }
    return Rbac.or(ids);
  }

  /** Any address that is no workload's and no node's. */
  private Principal world() {
    List<Principal> cluster = new ArrayList<>();
    for (WorkloadInfo w : engine.inputs().workloads()) cluster.addAll(hosts(w.addresses()));
    for (NodeInfo n : engine.inputs().nodes()) cluster.addAll(hosts(n.addresses()));
    return cluster.isEmpty() ? Rbac.ANY_PRINCIPAL : Rbac.not(Rbac.or(cluster));
  }

  private static List<Principal> hosts(List<IpAddress> addresses) {
    return addresses.stream().map(a -> Rbac.directIp(new Cidr(a, a.bits()))).toList();
  }
}
