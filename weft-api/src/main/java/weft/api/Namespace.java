package weft.api;

import java.util.Objects;
import weft.api.meta.ObjectMeta;

/**
 * Kubernetes' core {@code v1} Namespace. Cluster-scoped; its labels are what NetworkPolicy {@code
 * namespaceSelector} and Cilium's namespace labels match. The labels always include the automatic
 * {@value #NAME_LABEL} label, as the Kubernetes API server sets it.
 */
public record Namespace(ObjectMeta metadata) implements Resource {
  /** Set by Kubernetes on every Namespace to its name (since 1.21). */
  public static final String NAME_LABEL = "kubernetes.io/metadata.name";

  public Namespace {
    Objects.requireNonNull(metadata, "metadata");
    if (!metadata.name().equals(metadata.labels().get(NAME_LABEL))) {
      throw new IllegalArgumentException(
          "labels: " + metadata.labels() + " (expected: " + NAME_LABEL + "=" + metadata.name() + ")");
    }
  }

  @Override
  public Kind kind() {
    return Kind.NAMESPACE;
  }
}
