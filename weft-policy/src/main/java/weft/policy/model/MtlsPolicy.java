package weft.policy.model;

import java.util.Map;
import java.util.Optional;

/** A translated Istio PeerAuthentication. {@code UNSET} inherits from the wider scope. */
public record MtlsPolicy(
    PolicyRef ref, Optional<LabelSelector> selector, Mode mode, Map<Integer, Mode> portLevel) {
  public MtlsPolicy {
    portLevel = Map.copyOf(portLevel);
  }

  public enum Mode {
    UNSET,
    DISABLE,
    PERMISSIVE,
    STRICT
  }
}
