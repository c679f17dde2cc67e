package weft.api.meta;

import java.util.Map;
import java.util.Objects;

/**
 * The part of Kubernetes' {@code metadata} that weft reads.
 *
 * @param name the resource name (never empty)
 * @param namespace the namespace; {@code default} when a namespaced resource omits it, and the empty
 *     string for cluster-scoped kinds (Namespace, Node, CiliumClusterwideNetworkPolicy)
 * @param labels labels, sorted by key
 * @param annotations annotations, sorted by key; carried, never interpreted
 */
public record ObjectMeta(
    String name, String namespace, Map<String, String> labels, Map<String, String> annotations) {
  public ObjectMeta {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(namespace, "namespace");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("name: \"\" (expected: a non-empty name)");
    }
    labels = SortedMaps.copyOf(labels);
    annotations = SortedMaps.copyOf(annotations);
  }

  /** Metadata with only a name, namespace and labels. */
  public static ObjectMeta of(String name, String namespace, Map<String, String> labels) {
    return new ObjectMeta(name, namespace, labels, Map.of());
  }

  /** True for cluster-scoped resources. */
  public boolean clusterScoped() {
    return namespace.isEmpty();
  }
}
