package weft.api;

import java.util.List;
import java.util.Objects;
import weft.api.cilium.CiliumRule;
import weft.api.meta.ObjectMeta;

/**
 * Cilium's {@code cilium.io/v2} CiliumNetworkPolicy ({@link Kind#CILIUM_NETWORK_POLICY},
 * namespaced) or CiliumClusterwideNetworkPolicy ({@link Kind#CILIUM_CLUSTERWIDE_NETWORK_POLICY}).
 *
 * @param kind which of the two
 * @param metadata name (and namespace for the namespaced kind)
 * @param rules {@code spec} followed by the entries of {@code specs}; selectors already scoped to
 *     the policy's namespace as Cilium does (see {@link weft.api.cilium.EndpointSelector})
 */
public record CiliumNetworkPolicy(Kind kind, ObjectMeta metadata, List<CiliumRule> rules)
    implements Resource {
  public CiliumNetworkPolicy {
    if (kind != Kind.CILIUM_NETWORK_POLICY && kind != Kind.CILIUM_CLUSTERWIDE_NETWORK_POLICY) {
      throw new IllegalArgumentException("kind: " + kind + " (expected: a Cilium policy kind)");
    }
    Objects.requireNonNull(metadata, "metadata");
    rules = List.copyOf(rules);
  }

  public boolean clusterwide() {
    return kind == Kind.CILIUM_CLUSTERWIDE_NETWORK_POLICY;
  }
}
