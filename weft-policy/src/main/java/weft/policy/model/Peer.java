package weft.policy.model;

import java.util.List;

/** An L3 peer selection of a Kubernetes or Cilium rule; a rule's peers are OR'd. */
public sealed interface Peer {

  /** Every peer (a rule with ports but no L3 part). */
  record Any() implements Peer {}

  /**
   * Identities whose labels the selector matches. Selectors select reserved identities only when
   * they name a {@code reserved:} label, so {@code {}} means "every workload".
   */
  record Endpoints(LabelSelector selector) implements Peer {}

  /**
   * An address block minus exceptions. {@code matchesClusterPeers}: Kubernetes ipBlock matches any
   * address, workloads' and nodes' too; Cilium's CIDR selectors match only peers outside the cluster.
   */
  record Block(Cidr cidr, List<Cidr> except, boolean matchesClusterPeers) implements Peer {
    public Block {
      except = List.copyOf(except);
    }

    public boolean contains(IpAddress ip) {
      if (!cidr.contains(ip)) return false;
      for (Cidr x : except) {
        if (x.contains(ip)) return false;
      }
      return true;
    }
  }

  /** A Cilium entity. */
  record OfEntity(Entity entity) implements Peer {}
}
