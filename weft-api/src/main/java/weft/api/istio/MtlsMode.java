package weft.api.istio;

/** PeerAuthentication mTLS modes. UNSET inherits from the parent scope (namespace, then mesh). */
public enum MtlsMode {
  UNSET,
  DISABLE,
  PERMISSIVE,
  STRICT
}
