package weft.policy.engine;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import weft.policy.identity.Identities;
import weft.policy.identity.Identity;
import weft.policy.identity.ReservedIdentity;
import weft.policy.model.Entity;
import weft.policy.model.LabelSelector;

/**
 * Each selector interned once with the identities it selects (Cilium's selector cache). Not
 * thread-safe: used only while compiling.
 */
final class SelectorCache {
  private final Identities identities;
  private final Map<LabelSelector, BitSet> cache = new HashMap<>();

  SelectorCache(Identities identities) {
    this.identities = identities;
  }

  /** Identities {@code selector} selects; reserved ones only if it names a reserved label. */
  BitSet select(LabelSelector selector) {
    return cache.computeIfAbsent(selector, this::compute);
  }

  private BitSet compute(LabelSelector s) {
    BitSet b = new BitSet();
    boolean reserved = s.selectsReserved();
    List<Identity> all = identities.all();
    for (int i = 0; i < all.size(); i++) {
      Identity id = all.get(i);
      if (id.reserved() != reserved) continue;
      if (s.matches(id.labels())) b.set(i);
    }
    return b;
  }

  /** Identities of a Cilium entity. {@code all} is handled by the caller as "any peer". */
  BitSet entity(Entity e) {
    BitSet b = new BitSet();
    switch (e) {
      case WORLD -> b.set(identities.index(ReservedIdentity.WORLD));
      case CLUSTER -> {
        // everything in the cluster: all but world
        b.set(0, identities.all().size());
        b.clear(identities.index(ReservedIdentity.WORLD));
      }
      case HOST -> b.set(identities.index(ReservedIdentity.HOST));
      case REMOTE_NODE -> b.set(identities.index(ReservedIdentity.REMOTE_NODE));
      case INIT -> b.set(identities.index(ReservedIdentity.INIT));
      case HEALTH -> b.set(identities.index(ReservedIdentity.HEALTH));
      case UNMANAGED -> b.set(identities.index(ReservedIdentity.UNMANAGED));
      case KUBE_APISERVER -> b.set(identities.index(ReservedIdentity.KUBE_APISERVER));
      case ALL -> b.set(0, identities.all().size());
    }
    return b;
  }
}
