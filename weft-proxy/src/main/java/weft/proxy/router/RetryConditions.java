package weft.proxy.router;

import io.netty.handler.codec.http.HttpResponse;
import weft.proxy.route.RetryPolicy;
import weft.proxy.route.RetryPolicy.RetryOn;
import weft.proxy.upstream.UpstreamFailure;

/**
 * Which outcomes a retry policy retries (Envoy router docs, x-envoy-retry-on and
 * x-envoy-retry-grpc-on; retry_state_impl: resets are retried under 5xx, gateway-error and reset).
 */
final class RetryConditions {
  private RetryConditions() {}

  static boolean onStatus(RetryPolicy p, int status) {
    if (p.retriesOn(RetryOn.FIVE_XX) && status >= 500 && status <= 599) {
      return true;
    }
    if (p.retriesOn(RetryOn.GATEWAY_ERROR) && (status == 502 || status == 503 || status == 504)) {
      return true;
    }
    if (p.retriesOn(RetryOn.RETRIABLE_4XX) && status == 409) {
      return true;
    }
    return p.retriesStatus(status);
  }

  static boolean onReset(RetryPolicy p, UpstreamFailure f) {
    if (p.retriesOn(RetryOn.FIVE_XX) || p.retriesOn(RetryOn.GATEWAY_ERROR)
        || p.retriesOn(RetryOn.RESET)) {
      return true;
    }
    return switch (f) {
      case CONNECTION_FAILURE -> p.retriesOn(RetryOn.CONNECT_FAILURE);
      case REFUSED_STREAM -> p.retriesOn(RetryOn.REFUSED_STREAM);
      case CONNECTION_TERMINATION, LOCAL_RESET, REMOTE_RESET, OVERFLOW, PROTOCOL_ERROR -> false;
    };
  }

  /** gRPC conditions read {@code grpc-status} of a trailers-only response. */
  static boolean onGrpc(RetryPolicy p, HttpResponse res) {
    String gs = res.headers().get("grpc-status");
    if (gs == null) {
      return false;
    }
    return switch (gs) {
      case "1" -> p.retriesOn(RetryOn.GRPC_CANCELLED);
      case "4" -> p.retriesOn(RetryOn.GRPC_DEADLINE_EXCEEDED);
      case "8" -> p.retriesOn(RetryOn.GRPC_RESOURCE_EXHAUSTED);
      case "13" -> p.retriesOn(RetryOn.GRPC_INTERNAL);
      case "14" -> p.retriesOn(RetryOn.GRPC_UNAVAILABLE);
      default -> false;
    };
  }
}
