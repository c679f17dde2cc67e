package weft.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import weft.api.istio.Action;
import weft.api.istio.AuthorizationRule;
import weft.api.meta.ObjectMeta;
import weft.api.meta.SortedMaps;

/**
 * Istio's {@code security.istio.io/v1} (or v1beta1) AuthorizationPolicy.
 *
 * @param metadata name and namespace; a policy in the root namespace (Istio's {@code
 *     istio-system} by default) applies mesh-wide
 * @param selector {@code selector.matchLabels}; empty selects every workload in scope
 * @param action ALLOW (default), DENY or AUDIT
 * @param rules the rules; an ALLOW policy with none allows nothing, a DENY policy with none denies
 *     nothing (Istio)
 */
public record AuthorizationPolicy(
    ObjectMeta metadata, Map<String, String> selector, Action action, List<AuthorizationRule> rules)
    implements Resource {
  public AuthorizationPolicy {
    Objects.requireNonNull(metadata, "metadata");
    selector = SortedMaps.copyOf(selector);
    Objects.requireNonNull(action, "action");
    rules = List.copyOf(rules);
  }

  @Override
  public Kind kind() {
    return Kind.AUTHORIZATION_POLICY;
  }
}
