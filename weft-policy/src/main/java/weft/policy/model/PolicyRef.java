package weft.policy.model;

import java.util.Objects;

/**
 * Names the resource a rule came from: its dialect, kind and namespace/name. Clusterwide resources
 * have an empty namespace.
 */
public record PolicyRef(Dialect dialect, String kind, String namespace, String name)
    implements Comparable<PolicyRef> {
  public PolicyRef {
    Objects.requireNonNull(dialect, "dialect");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code kind ns/name}, or {@code kind name} when clusterwide. */
  @Override
  public String toString() {
    return namespace.isEmpty() ? kind + " " + name : kind + " " + namespace + "/" + name;
  }

  /** A rule inside this resource, e.g. {@code CiliumNetworkPolicy default/l7 spec.ingress[0]}. */
  public String rule(String path) {
    return path.isEmpty() ? toString() : this + " " + path;
  }

  @Override
  public int compareTo(PolicyRef o) {
    int c = dialect.compareTo(o.dialect);
    if (c == 0) c = kind.compareTo(o.kind);
    if (c == 0) c = namespace.compareTo(o.namespace);
    if (c == 0) c = name.compareTo(o.name);
    return c;
  }
}
