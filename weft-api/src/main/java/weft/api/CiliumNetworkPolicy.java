package weft.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import weft.api.cilium.CiliumRule;
import weft.api.meta.ObjectMeta;

/**
 * Cilium's {@code cilium.io/v2} CiliumNetworkPolicy ({@link Kind#CILIUM_NETWORK_POLICY},
 * namespaced) or CiliumClusterwideNetworkPolicy ({@link Kind#CILIUM_CLUSTERWIDE_NETWORK_POLICY}).
 * Selectors are already scoped to the policy's namespace as Cilium does (see {@link
 * weft.api.cilium.EndpointSelector}).
 *
 * @param kind which of the two
 * @param metadata name (and namespace for the namespaced kind)
 * @param spec the {@code spec} rule, if written
 * @param specs the {@code specs} rules
 */
public record CiliumNetworkPolicy(
    Kind kind, ObjectMeta metadata, Optional<CiliumRule> spec, List<CiliumRule> specs) implements Resource {
  public CiliumNetworkPolicy {
    if (kind != Kind.CILIUM_NETWORK_POLICY && kind != Kind.CILIUM_CLUSTERWIDE_NETWORK_POLICY) {
      throw new IllegalArgumentException("kind: " + kind + " (expected: a Cilium policy kind)");
    }
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
    specs = List.copyOf(specs);
  }

  public boolean clusterwide() {
    return kind == Kind.CILIUM_CLUSTERWIDE_NETWORK_POLICY;
  }

  /** Every rule: {@code spec} (if any) followed by {@code specs}. Cilium treats them alike. */
  public List<CiliumRule> rules() {
    if (spec.isEmpty()) {
      return specs;
    }
    List<CiliumRule> all = new ArrayList<>(specs.size() + 1);
    all.add(spec.get());
    all.addAll(specs);
    return List.copyOf(all);
  }

  /**
   * Where {@code rules().get(i)} is written: {@code spec} or {@code specs[j]}, the prefix of the
   * rule paths trace and errors print (e.g. {@code specs[1].ingress[0]}).
   */
  public String rulePath(int i) {
    Objects.checkIndex(i, (spec.isPresent() ? 1 : 0) + specs.size());
    if (spec.isPresent()) {
      return i == 0 ? "spec" : "specs[" + (i - 1) + "]";
    }
    return "specs[" + i + "]";
  }
}
