package weft.policy.engine;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import weft.policy.identity.Identity;
import weft.policy.model.Action;
import weft.policy.model.Direction;
import weft.policy.model.LabelPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.Peer;
import weft.policy.model.PolicyRef;
import weft.policy.model.PortMatch;
import weft.policy.model.PortRule;
import weft.policy.model.PortSpec;
import weft.policy.model.Rule;
import weft.policy.model.WorkloadInfo;

/**
 * Compiles the Kubernetes or Cilium policies selecting one workload into its per-direction policy
 * map. Policies are visited in {@link PolicyRef} order and rules in document order, so the result
 * does not depend on the order policies were given in.
 */
final class LabelPolicyCompiler {
  private final SelectorCache selectors;

  LabelPolicyCompiler(SelectorCache selectors) {
    this.selectors = selectors;
  }

  DirectionPolicy compile(
      List<LabelPolicy> policies, WorkloadInfo w, Identity id, Direction d) {
    List<LabelPolicy> selecting = new ArrayList<>();
    for (LabelPolicy p : policies) {
      if (p.subject().matches(id.labels())) selecting.add(p);
    }
    selecting.sort(Comparator.comparing(LabelPolicy::ref));
    List<LabelSelector> requires = new ArrayList<>();
    for (LabelPolicy p : selecting) requires.addAll(p.requires(d));
    List<PolicyRef> selectedBy = new ArrayList<>();
    PolicyRef isolatedBy = null;
    List<MapEntry> denies = new ArrayList<>();
    List<MapEntry> allows = new ArrayList<>();
    for (LabelPolicy p : selecting) {
      boolean isolates = p.defaultDeny().contains(d);
      if (!isolates && p.rules(d).isEmpty()) continue;
      selectedBy.add(p.ref());
      if (isolates && isolatedBy == null) isolatedBy = p.ref();
      for (Rule r : p.rules(d)) {
        boolean deny = r.action() == Action.DENY;
        // requirements narrow what an allow reaches; they never narrow a deny (docs/policy.md)
        PeerSet peers = peers(r.peers(), deny ? List.of() : requires);
        (deny ? denies : allows).addAll(entries(p.ref(), r, deny, peers, d == Direction.INGRESS ? w : null));
      }
    }
    if (selectedBy.isEmpty()) return DirectionPolicy.NONE;
    return new DirectionPolicy(selectedBy, isolatedBy, denies, allows);
  }

  private PeerSet peers(List<Peer> peers, List<LabelSelector> requires) {
    boolean any = false;
    BitSet bits = new BitSet();
    List<Peer.Block> blocks = new ArrayList<>();
    for (Peer p : peers) {
      switch (p) {
        case Peer.Any a -> any = true;
        case Peer.Endpoints e -> {
          LabelSelector s = e.selector();
          for (LabelSelector r : requires) s = s.and(r);
          bits.or(selectors.select(s));
        }
        case Peer.Block b -> blocks.add(b);
        case Peer.OfEntity e -> bits.or(selectors.entity(e.entity()));
      }
    }
    return new PeerSet(any, bits, blocks);
  }

  /**
   * {@code destination}: for ingress, the subject itself, whose named ports are resolved here so
   * the data path compares numbers; for egress null (the peer's ports decide per flow).
   */
  private static List<MapEntry> entries(PolicyRef ref, Rule r, boolean deny, PeerSet peers, WorkloadInfo destination) {
    List<MapEntry> out = new ArrayList<>();
    if (r.ports().isEmpty()) {
      out.add(new MapEntry(deny, null, 0, 65535, null, peers, weft.policy.model.L7Rules.NONE, ref, r.path()));
      return out;
    }
    for (PortRule pr : r.ports()) {
      String path = pr.path().isEmpty() ? r.path() : pr.path();
      if (pr.ports().isEmpty()) {
        // toPorts with rules but no ports: every TCP/UDP/SCTP port
        out.add(new MapEntry(deny, weft.policy.model.Protocol.ANY, 0, 65535, null, peers, pr.l7(), ref, path));
      }
      for (PortMatch m : pr.ports()) {
        switch (m.port()) {
          case PortSpec.Range range ->
              out.add(new MapEntry(deny, m.protocol(), range.first(), range.last(), null, peers, pr.l7(), ref, path));
          case PortSpec.Named named -> {
            if (destination == null) {
              out.add(new MapEntry(deny, m.protocol(), 0, 0, named.name(), peers, pr.l7(), ref, path));
              continue;
            }
            for (WorkloadInfo.NamedPort np : destination.ports()) {
              // a named port carries its own protocol: keep it, so UDP never matches a TCP name
              if (np.name().equals(named.name()) && m.protocol().covers(np.protocol())) {
                out.add(new MapEntry(deny, np.protocol(), np.port(), np.port(), null, peers, pr.l7(), ref, path));
                break;
              }
            }
          }
        }
      }
    }
    return out;
  }
}
