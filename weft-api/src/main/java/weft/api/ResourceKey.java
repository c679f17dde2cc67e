package weft.api;

import java.util.Comparator;
import java.util.Objects;

/**
 * Names one resource: kind, namespace (empty for cluster-scoped kinds) and name. Prints as users
 * read it: {@code CiliumNetworkPolicy default/l7-jobs}, {@code Namespace jobs}.
 */
public record ResourceKey(Kind kind, String namespace, String name) implements Comparable<ResourceKey> {
  private static final Comparator<ResourceKey> ORDER =
      Comparator.comparing(ResourceKey::kind)
          .thenComparing(ResourceKey::namespace)
          .thenComparing(ResourceKey::name);

  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /** {@code namespace/name}, or {@code name} for cluster-scoped kinds. */
  public String qualifiedName() {
    return namespace.isEmpty() ? name : namespace + "/" + name;
  }

  @Override
  public int compareTo(ResourceKey o) {
    return ORDER.compare(this, o);
  }

  @Override
  public String toString() {
    return kind.kindName() + " " + qualifiedName();
  }
}
