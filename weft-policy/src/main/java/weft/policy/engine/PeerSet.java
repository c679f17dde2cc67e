package weft.policy.engine;

import java.util.BitSet;
import java.util.List;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Peer;

/**
 * The peers of one compiled entry: a set of identity indexes (from the selector cache) plus
 * address blocks checked against the peer's IP. Immutable after construction.
 */
public final class PeerSet {
  private final boolean any;
  private final BitSet identities;
  private final Peer.Block[] blocks;

  PeerSet(boolean any, BitSet identities, List<Peer.Block> blocks) {
    this.any = any;
    this.identities = (BitSet) identities.clone();
    this.blocks = blocks.toArray(Peer.Block[]::new);
  }

  /** {@code index}: the peer's identity index; {@code world}: the peer is outside the cluster. */
  boolean contains(int index, Party peer, boolean world) {
    if (any || identities.get(index)) return true;
    if (peer.ip() == null) return false;
    for (Peer.Block b : blocks) {
      if ((b.matchesClusterPeers() || world) && b.contains(peer.ip())) return true;
    }
    return false;
  }

  /** Every peer. */
  public boolean any() {
    return any;
  }

  /** Indexes (into {@code Identities.all()}) of the identities in the set. */
  public BitSet identities() {
    return (BitSet) identities.clone();
  }

  public List<Peer.Block> blocks() {
    return List.of(blocks);
  }

  boolean isEmpty() {
    return !any && identities.isEmpty() && blocks.length == 0;
  }

  static int worldIndex() {
    return ReservedIdentity.WORLD.ordinal();
  }
}
