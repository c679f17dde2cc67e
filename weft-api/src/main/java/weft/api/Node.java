package weft.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import weft.api.meta.ObjectMeta;

/**
 * weft's {@code weft.dev/v1alpha1} Node: a host workloads run on. Cluster-scoped. It gives
 * Cilium's {@code host} / {@code remote-node} entities and {@code nodeSelector} something to match.
 *
 * @param metadata name and labels (namespace is empty)
 * @param addresses the host's IP addresses
 */
public record Node(ObjectMeta metadata, List<InetAddress> addresses) implements Resource {
  public Node {
    Objects.requireNonNull(metadata, "metadata");
    addresses = List.copyOf(addresses);
  }

  @Override
  public Kind kind() {
    return Kind.NODE;
  }
}
