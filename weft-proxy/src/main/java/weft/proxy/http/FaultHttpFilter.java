package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import weft.proxy.filter.fault.FaultDecision;
import weft.proxy.filter.fault.FaultFilterConfig;
import weft.proxy.filter.fault.RandomSource;
import weft.proxy.matcher.HeaderSource;

/**
 * {@code envoy.filters.http.fault}: applies the fault decision: a delay as an event-loop timer
 * (the request waits, nothing blocks), then an abort as a local reply (gRPC requests get HTTP 200
 * with the configured {@code grpc-status}).
 */
public final class FaultHttpFilter implements HttpFilter {
  private static final RandomSource RANDOM = RandomSource.threadLocal();
  private final FaultFilterConfig cfg;
  private final FilterCallbacks cb;
  private FaultDecision decision = FaultDecision.NONE;
  private ScheduledFuture<?> timer;
  private boolean grpc;

  private FaultHttpFilter(FaultFilterConfig cfg, FilterCallbacks cb) {
    this.cfg = cfg;
    this.cb = cb;
  }

  public static HttpFilterFactory factory(FaultFilterConfig cfg) {
    return cb -> new FaultHttpFilter(cfg, cb);
  }

  @Override
  public Status onRequestHeaders(HttpRequest request, boolean endStream) {
    String ct = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    grpc = ct != null && ct.startsWith("application/grpc");
    HeaderSource source = name -> HeaderSource.resolve(name, request.method().name(),
        request.headers().get(HttpHeaderNames.HOST), request.uri(), cb.info().connection.scheme(),
        request.headers());
    decision = cfg.decide(source, request.headers(), RANDOM);
    if (decision.isNone()) {
      return Status.CONTINUE;
    }
    if (decision.responseRateLimitKbps() >= 0) {
      cb.limitResponseRate(decision.responseRateLimitKbps());
    }
    if (decision.delayMillis() >= 0) {
      cb.info().addResponseFlag(FaultDecision.DELAY_FLAG);
      timer = cb.eventLoop().schedule(this::afterDelay, decision.delayMillis(), TimeUnit.MILLISECONDS);
      return Status.STOP;
    }
    return abortOrContinue(false) ? Status.STOP : Status.CONTINUE;
  }

  private void afterDelay() {
    timer = null;
    decision.onDelayElapsed();
    if (!abortOrContinue(true)) {
      cb.continueDecoding();
    }
  }

  /** Aborts when the decision says so; true if it did. */
  private boolean abortOrContinue(boolean resumed) {
    FaultDecision.Abort abort = decision.abort();
    if (abort == null) {
      return false;
    }
    cb.info().addResponseFlag(FaultDecision.ABORT_FLAG);
    if (grpc && abort.grpcStatus() >= 0) {
      cb.sendLocalReply(200, FaultDecision.ABORT_BODY,
          h -> h.set("grpc-status", Integer.toString(abort.grpcStatus())),
          FaultDecision.ABORT_DETAILS);
    } else {
      cb.sendLocalReply(abort.httpStatus(), FaultDecision.ABORT_BODY, null, FaultDecision.ABORT_DETAILS);
    }
    return true;
  }

  @Override
  public void onDestroy() {
    if (timer != null) {
      timer.cancel(false);
    }
    decision.onStreamEnd();
  }
}
