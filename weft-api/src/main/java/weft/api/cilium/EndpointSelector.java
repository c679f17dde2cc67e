package weft.api.cilium;

import java.util.Objects;
import weft.api.meta.LabelSelector;

/**
 * A Cilium endpoint (or node) selector. Keys always carry a label source, written {@code
 * source:key}: {@code k8s:app}, {@code reserved:host}; a key written without a source becomes
 * {@code any:key} (Cilium: matches the key from any source).
 *
 * <p>For namespaced CiliumNetworkPolicies, decoding applies Cilium's own scoping
 * (ParseToCiliumRule): the rule's endpointSelector gets {@code k8s:io.kubernetes.pod.namespace=<ns>};
 * fromEndpoints/toEndpoints/fromRequires/toRequires selectors that name no namespace label get the
 * same match, or, in clusterwide policies, an {@code Exists} requirement on it. Selectors with
 * {@code reserved:} keys and policies selecting {@code reserved:init} are left alone. So the engine
 * matches these selectors as they are, against source-prefixed endpoint labels.
 *
 * @param selector matchLabels/matchExpressions with source-prefixed keys
 */
public record EndpointSelector(LabelSelector selector) {
  /** The namespace label Cilium gives every pod. */
  public static final String NAMESPACE_LABEL = "k8s:io.kubernetes.pod.namespace";
  /** The same label written without a source. */
  public static final String ANY_NAMESPACE_LABEL = "any:io.kubernetes.pod.namespace";
  /** Prefix of the labels Cilium derives from the pod's namespace's labels. */
  public static final String NAMESPACE_LABELS_PREFIX = "k8s:io.cilium.k8s.namespace.labels.";
  /** The label Cilium gives every pod with its service account name. */
  public static final String SERVICE_ACCOUNT_LABEL = "k8s:io.cilium.k8s.policy.serviceaccount";

  public EndpointSelector {
    Objects.requireNonNull(selector, "selector");
  }

  /** Label sources Cilium understands in selectors. */
  public static boolean knownSource(String source) {
    return switch (source) {
      case "k8s", "any", "reserved", "unspec", "container", "cidr" -> true;
      default -> false;
    };
  }

  /** {@code k8s:app} -> {@code k8s:app}; {@code app} -> {@code any:app}. */
  public static String normalizeKey(String key) {
    return key.indexOf(':') > 0 ? key : "any:" + key;
  }

  /** True if any matchLabels key or matchExpressions key equals {@code key}. */
  public boolean hasKey(String key) {
    return selector.matchLabels().containsKey(key)
        || selector.matchExpressions().stream().anyMatch(r -> r.key().equals(key));
  }

  /** True if any key starts with {@code prefix}. */
  public boolean hasKeyPrefix(String prefix) {
    return selector.matchLabels().keySet().stream().anyMatch(k -> k.startsWith(prefix))
        || selector.matchExpressions().stream().anyMatch(r -> r.key().startsWith(prefix));
  }
}
