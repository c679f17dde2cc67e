package weft.api;

import java.util.Map;
import java.util.Objects;
import weft.api.istio.MtlsMode;
import weft.api.meta.ObjectMeta;
import weft.api.meta.SortedMaps;

/**
 * Istio's {@code security.istio.io/v1} (or v1beta1) PeerAuthentication: which inbound connections
 * must use mTLS.
 *
 * @param metadata name and namespace; in the root namespace without a selector it is mesh-wide
 * @param selector {@code selector.matchLabels}; empty means the whole namespace
 * @param mode {@code mtls.mode}, UNSET when omitted (inherit)
 * @param portLevelMtls per workload port overrides (needs a selector, checked at decode time)
 */
public record PeerAuthentication(
    ObjectMeta metadata, Map<String, String> selector, MtlsMode mode, Map<Integer, MtlsMode> portLevelMtls)
    implements Resource {
  public PeerAuthentication {
    Objects.requireNonNull(metadata, "metadata");
    selector = SortedMaps.copyOf(selector);
    Objects.requireNonNull(mode, "mode");
    portLevelMtls = SortedMaps.copyOf(portLevelMtls);
  }

  @Override
  public Kind kind() {
    return Kind.PEER_AUTHENTICATION;
  }
}
