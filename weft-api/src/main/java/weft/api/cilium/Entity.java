package weft.api.cilium;

import java.util.Optional;

/** Cilium's {@code fromEntities}/{@code toEntities} values that weft supports. */
public enum Entity {
  /** Everything outside the cluster. */
  WORLD("world"),
  /** Every endpoint and node of the local cluster. */
  CLUSTER("cluster"),
  /** The local host (the node the selected endpoint runs on). */
  HOST("host"),
  /** Every other node of the cluster. */
  REMOTE_NODE("remote-node"),
  /** Endpoints whose identity is not resolved yet. */
  INIT("init"),
  /** Cilium's health endpoints. */
  HEALTH("health"),
  /** Endpoints not managed by the mesh. */
  UNMANAGED("unmanaged"),
  /** The Kubernetes API server. */
  KUBE_APISERVER("kube-apiserver"),
  /** Everything. */
  ALL("all");

  private final String wireName;

  Entity(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<Entity> of(String wireName) {
    for (Entity e : values()) {
      if (e.wireName.equals(wireName)) {
        return Optional.of(e);
      }
    }
    return Optional.empty();
  }
}
