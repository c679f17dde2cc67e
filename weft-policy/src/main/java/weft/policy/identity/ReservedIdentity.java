package weft.policy.identity;

import java.util.Map;

/** Cilium's reserved identities, with Cilium's numeric ids and {@code reserved:} labels. */
public enum ReservedIdentity {
  HOST(1),
  WORLD(2),
  UNMANAGED(3),
  HEALTH(4),
  INIT(5),
  REMOTE_NODE(6),
  KUBE_APISERVER(7);

  private final int id;

  ReservedIdentity(int id) {
    this.id = id;
  }

  public int id() {
    return id;
  }

  /** {@code reserved:host}, {@code reserved:remote-node}, ... */
  public String label() {
    return "reserved:" + name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  public Identity identity() {
    return new Identity(id, Map.of(label(), ""));
  }
}
