package weft.proxy.filter.fault;

import weft.proxy.observe.Gauge;

/**
 * The faults chosen for one request, and the request's hold on the {@code active_faults} gauge.
 * Used on the stream's event loop only. How the connection manager applies it (Envoy's order):
 *
 * <ol>
 *   <li>If {@link #delayMillis()} {@code >= 0}, hold the request that long (a timer on the event
 *       loop, never a sleep), then call {@link #onDelayElapsed()}.
 *   <li>If {@link #abort()} is not null, answer locally instead of forwarding: HTTP {@link
 *       Abort#httpStatus()} with body {@link #ABORT_BODY}; for a gRPC request with {@link
 *       Abort#grpcStatus()} {@code >= 0}, HTTP 200 with {@code grpc-status} set to it and {@code
 *       grpc-message: fault filter abort}. Response flag {@code FI}, details {@link
 *       #ABORT_DETAILS}.
 *   <li>If {@link #responseRateLimitKbps()} {@code >= 0}, pace the response body at that many
 *       KiB/s.
 *   <li>Call {@link #onStreamEnd()} once the stream ends, however it ends.
 * </ol>
 */
public final class FaultDecision {
  public static final String ABORT_BODY = "fault filter abort";
  public static final String ABORT_DETAILS = "fault_filter_abort";

  /** Envoy's response flag for an injected delay. */
  public static final String DELAY_FLAG = "DI";

  /** Envoy's response flag for an injected abort. */
  public static final String ABORT_FLAG = "FI";

  /** No fault: the request continues untouched. */
  public static final FaultDecision NONE = new FaultDecision(-1, null, -1, null);

  /** How to abort: an HTTP status, or HTTP 200 plus a gRPC status (grpcStatus -1 if none). */
  public record Abort(int httpStatus, int grpcStatus) {}

  private final long delayMillis;
  private final Abort abort;
  private final long responseRateLimitKbps;
  private Gauge activeFaults;

  FaultDecision(long delayMillis, Abort abort, long responseRateLimitKbps, Gauge activeFaults) {
    this.delayMillis = delayMillis;
    this.abort = abort;
    this.responseRateLimitKbps = responseRateLimitKbps;
    this.activeFaults = activeFaults;
  }

  /** The delay before the request goes on (or is aborted), or -1 for none. */
  public long delayMillis() {
    return delayMillis;
  }

  /** The abort to answer with (after any delay), or null. */
  public Abort abort() {
    return abort;
  }

  /** The response body rate limit in KiB/s, or -1 for none. */
  public long responseRateLimitKbps() {
    return responseRateLimitKbps;
  }

  public boolean isNone() {
    return delayMillis < 0 && abort == null && responseRateLimitKbps < 0;
  }

  /**
   * The delay is over. As in Envoy, a request that was only delayed stops counting as an active
   * fault now; one that is also aborted or rate limited keeps counting until it ends.
   */
  public void onDelayElapsed() {
    if (abort == null && responseRateLimitKbps < 0) {
      release();
    }
  }

  /** The stream ended (completed, reset or aborted); releases its active fault. Idempotent. */
  public void onStreamEnd() {
    release();
  }

  private void release() {
    if (activeFaults != null) {
      activeFaults.dec();
      activeFaults = null;
    }
  }
}
