package weft.controlplane.translate;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import weft.api.Kind;
import weft.api.Resource;
import weft.api.ResourceKey;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.policy.engine.DirectionPolicy;
import weft.policy.engine.MapEntry;
import weft.policy.engine.PeerSet;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Dialect;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Direction;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;

/**
 * The resources that differ between two store revisions, and which parts of a translation they can
 * change (see {@link IncrementalTranslator}). Conservative by design: when in doubt a part is dirty.
 *
 * @param keys every resource added, removed or modified
 * @param all whether everything must be translated again (first translation, Namespace or Node changes)
 */
record Change(Set<ResourceKey> keys, boolean all) {
  /** Kinds the policy engine compiles (besides Workloads and Namespaces). */
  private static final Set<Kind> POLICY = EnumSet.of(Kind.NETWORK_POLICY, Kind.CILIUM_NETWORK_POLICY,
      Kind.CILIUM_CLUSTERWIDE_NETWORK_POLICY, Kind.AUTHORIZATION_POLICY, Kind.PEER_AUTHENTICATION);
  /**
   * Kinds the outbound side reads: services and their endpoints, routing, Sidecar scoping, and
   * PeerAuthentication (auto-mTLS looks at the endpoints' inbound modes).
   */
  private static final Set<Kind> TRAFFIC = EnumSet.of(Kind.WORKLOAD, Kind.SERVICE, Kind.MESH_SERVICE,
      Kind.VIRTUAL_SERVICE, Kind.DESTINATION_RULE, Kind.PEER_AUTHENTICATION, Kind.SIDECAR);
  /** Kinds whose change is handled part by part; any other kind makes everything dirty. */
  private static final Set<Kind> PARTIAL;

  static {
    Set<Kind> partial = EnumSet.noneOf(Kind.class);
    partial.addAll(POLICY);
    partial.addAll(TRAFFIC);
    PARTIAL = partial;
  }

  Change {
    keys = Set.copyOf(keys);
  }

  static Change everything() {
    return new Change(Set.of(), true);
  }

  /** A merge of the two key-ordered resource lists. */
  static Change between(ResourceSet before, ResourceSet after) {
    Set<ResourceKey> keys = new HashSet<>();
    Iterator<Resource> a = before.all().iterator();
    Iterator<Resource> b = after.all().iterator();
    Resource x = a.hasNext() ? a.next() : null;
    Resource y = b.hasNext() ? b.next() : null;
    while (x != null || y != null) {
      int c = x == null ? 1 : y == null ? -1 : x.key().compareTo(y.key());
      if (c < 0) {
        keys.add(x.key());
        x = a.hasNext() ? a.next() : null;
      } else if (c > 0) {
        keys.add(y.key());
        y = b.hasNext() ? b.next() : null;
      } else {
        if (!x.equals(y)) {
          keys.add(x.key());
        }
        x = a.hasNext() ? a.next() : null;
        y = b.hasNext() ? b.next() : null;
      }
    }
    boolean all = keys.stream().anyMatch(k -> !PARTIAL.contains(k.kind()));
    return new Change(keys, all);
  }

  boolean isEmpty() {
    return !all && keys.isEmpty();
  }

  /** Whether the policy engine must be compiled again. */
  boolean policyInputs() {
    return all || keys.stream().anyMatch(k -> POLICY.contains(k.kind()) || k.kind() == Kind.WORKLOAD);
  }

  /** Whether the outbound side (services, endpoints, routes, clusters) must be built again. */
  boolean traffic() {
    return all || keys.stream().anyMatch(k -> TRAFFIC.contains(k.kind()));
  }

  /**
   * The workloads ({@code ns/name}) whose inbound side may differ, given the engines before and after
   * (both usable): the changed workloads; the workloads a changed policy selects before or after; and,
   * when workloads changed, the workloads under a label policy (Kubernetes or Cilium) whose peers,
   * before or after, include a changed workload's identity or the world (weft's RBAC export lists a
   * peer identity as the addresses of its workloads, and the world as every address but theirs).
   */
  Set<String> dirtyInbound(PolicyEngine before, PolicyEngine after, List<Workload> workloads) {
    Set<String> dirty = new HashSet<>();
    Set<String> policies = new HashSet<>();
    for (ResourceKey k : keys) {
      if (k.kind() == Kind.WORKLOAD) {
        dirty.add(k.namespace() + "/" + k.name());
      } else if (POLICY.contains(k.kind())) {
        // PolicyRef and ResourceKey print alike: "Kind ns/name"
        policies.add(k.toString());
      }
    }
    BitSet[] changedPeers = {peers(before, dirty), peers(after, dirty)};
    PolicyEngine[] engines = {before, after};
    if (policies.isEmpty() && changedPeers[0].isEmpty() && changedPeers[1].isEmpty()) {
      return dirty;
    }
    for (Workload w : workloads) {
      String node = IncrementalTranslator.node(w);
      if (dirty.contains(node)) {
        continue;
      }
      for (int i = 0; i < 2; i++) {
        WorkloadPolicy wp = engines[i].workload(w.metadata().namespace(), w.metadata().name()).orElse(null);
        if (wp != null && (selected(wp, policies) || peersInclude(wp, changedPeers[i]))) {
          dirty.add(node);
          break;
        }
      }
    }
    return dirty;
  }

  /** The identities of the changed workloads in {@code engine}, and the world's (it depends on every workload). */
  private static BitSet peers(PolicyEngine engine, Set<String> workloads) {
    BitSet ids = new BitSet();
    if (workloads.isEmpty()) {
      return ids;
    }
    for (String key : workloads) {
      int slash = key.indexOf('/');
      engine.workload(key.substring(0, slash), key.substring(slash + 1))
          .ifPresent(wp -> ids.set(engine.identities().index(wp.identity())));
    }
    ids.set(engine.identities().index(ReservedIdentity.WORLD));
    return ids;
  }

  private static boolean peersInclude(WorkloadPolicy wp, BitSet ids) {
    if (ids.isEmpty()) {
      return false;
    }
    for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
      for (Direction dir : Direction.values()) {
        DirectionPolicy p = wp.label(d, dir);
        for (List<MapEntry> entries : List.of(p.allows(), p.denies())) {
          for (MapEntry e : entries) {
            PeerSet peers = e.peers();
            if (peers.any()) {
              continue;
            }
            if (peers.identities().intersects(ids)) {
              return true;
            }
            for (Peer.Block b : peers.blocks()) {
              if (!b.matchesClusterPeers()) {
                return true; // an ipBlock outside the cluster: the world, minus every workload address
              }
            }
          }
        }
      }
    }
    return false;
  }

  private static boolean selected(WorkloadPolicy wp, Set<String> policies) {
    if (policies.isEmpty()) {
      return false;
    }
    List<PolicyRef> refs = new ArrayList<>();
    for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
      for (Direction dir : Direction.values()) {
        refs.addAll(wp.label(d, dir).selectedBy());
        if (wp.label(d, dir).defaultDeny() != null) {
          refs.add(wp.label(d, dir).defaultDeny());
        }
      }
    }
    for (AuthzPolicy p : wp.istio().denies()) {
      refs.add(p.ref());
    }
    for (AuthzPolicy p : wp.istio().allows()) {
      refs.add(p.ref());
    }
    refs.add(wp.istio().modeFrom());
    refs.add(wp.istio().portModesFrom());
    for (PolicyRef r : refs) {
      if (r != null && policies.contains(r.toString())) {
        return true;
      }
    }
    return false;
  }
}
