package weft.proxy.router;

import weft.proxy.upstream.UpstreamFailure;

/** The router's local reply bodies, in Envoy's words. */
final class LocalReplies {
  static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";
  static final String TIMEOUT = "upstream request timeout";

  private LocalReplies() {}

  /** Envoy's body for a reset before response headers (router.cc, "upstream connect error"). */
  static String resetBeforeHeaders(UpstreamFailure f, String transportReason, boolean retried) {
    StringBuilder sb = new StringBuilder("upstream connect error or disconnect/reset before headers. ");
    sb.append(retried ? "retried and the latest reset reason: " : "reset reason: ").append(f.envoyName());
    if (transportReason != null && !transportReason.isEmpty()) {
      sb.append(", transport failure reason: ").append(transportReason);
    }
    return sb.toString();
  }

  /** Envoy's response flag for a failure before headers. */
  static String flag(UpstreamFailure f) {
    return switch (f) {
      case CONNECTION_FAILURE -> "UF";
      case OVERFLOW -> "UO";
      case CONNECTION_TERMINATION -> "UC";
      case LOCAL_RESET, REMOTE_RESET, REFUSED_STREAM -> "UR";
      case PROTOCOL_ERROR -> "UPE";
    };
  }

  /**
   * The status of a reset before headers: 502 for an upstream that broke the protocol (Envoy's router
   * answers "502 UPE upstream_reset_before_response_started{protocol_error}"), 503 for the rest.
   */
  static int status(UpstreamFailure f) {
    return f == UpstreamFailure.PROTOCOL_ERROR ? 502 : 503;
  }

  /** Envoy's response code details for a reset before headers. */
  static String details(UpstreamFailure f) {
    return "upstream_reset_before_response_started{" + f.envoyName().replace(' ', '_') + "}";
  }
}
