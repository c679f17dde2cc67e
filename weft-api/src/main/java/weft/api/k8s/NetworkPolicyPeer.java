package weft.api.k8s;

import java.util.Objects;
import java.util.Optional;
import weft.api.meta.LabelSelector;

/**
 * One entry of a NetworkPolicy rule's {@code from} / {@code to} list. Entries of one list are ORed.
 */
public sealed interface NetworkPolicyPeer {

  /**
   * Pods selected by labels. Kubernetes semantics (NetworkPolicyPeer): with no namespace selector,
   * pods in the policy's own namespace; with one, pods in every namespace it selects. A
   * {@code podSelector} and a {@code namespaceSelector} in one entry are ANDed. A peer written with
   * only {@code namespaceSelector} has {@code pods = }{@link LabelSelector#EVERYTHING}.
   *
   * @param pods selects pods
   * @param namespaces selects namespaces; empty means the policy's own namespace
   */
  record Pods(LabelSelector pods, Optional<LabelSelector> namespaces) implements NetworkPolicyPeer {
    public Pods {
      Objects.requireNonNull(pods, "pods");
      Objects.requireNonNull(namespaces, "namespaces");
    }
  }

  /** Addresses, regardless of which workload holds them (usually traffic from/to outside). */
  record Addresses(IpBlock ipBlock) implements NetworkPolicyPeer {
    public Addresses {
      Objects.requireNonNull(ipBlock, "ipBlock");
    }
  }
}
