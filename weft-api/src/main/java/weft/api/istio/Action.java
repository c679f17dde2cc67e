package weft.api.istio;

/**
 * AuthorizationPolicy {@code action}. CUSTOM (external authorizers) is refused at decode time.
 * Istio order: DENY policies first, then ALLOW; AUDIT never changes a verdict.
 */
public enum Action {
  ALLOW,
  DENY,
  AUDIT
}
