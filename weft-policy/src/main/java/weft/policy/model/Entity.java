package weft.policy.model;

import java.util.Locale;
import java.util.Optional;

/** Cilium's entities ("Entities Based" policy): named groups of peers without IPs in the policy. */
public enum Entity {
  WORLD,
  CLUSTER,
  HOST,
  REMOTE_NODE,
  INIT,
  HEALTH,
  UNMANAGED,
  KUBE_APISERVER,
  ALL;

  public static Optional<Entity> parse(String s) {
    for (Entity e : values()) {
      if (e.id().equals(s.toLowerCase(Locale.ROOT))) return Optional.of(e);
    }
    return Optional.empty();
  }

  /** The spelling in policies, e.g. {@code remote-node}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
