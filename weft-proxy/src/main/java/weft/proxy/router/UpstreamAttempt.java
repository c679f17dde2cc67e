package weft.proxy.router;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;
import weft.proxy.cluster.Host;
import weft.proxy.http.Deadline;
import weft.proxy.upstream.HostPool;
import weft.proxy.upstream.UpstreamFailure;
import weft.proxy.upstream.UpstreamListener;
import weft.proxy.upstream.UpstreamStream;

/**
 * One try of a request against one host: holds the request slot in the circuit breaker and the
 * host's active-request count, counts the cluster's upstream stats and reports outlier events.
 */
final class UpstreamAttempt implements UpstreamListener {
  private final RouterFilter r;
  private final Host host;
  private final boolean isRetry;
  private UpstreamStream stream;
  private HostPool.Cancellable pending;
  private long startNanos;
  private Deadline perTry;
  private boolean ended;
  private boolean discarding;
  private boolean responseDone;
  private int status;

  UpstreamAttempt(RouterFilter r, Host host, boolean isRetry) {
    this.r = r;
    this.host = host;
    this.isRetry = isRetry;
  }

  void start() {
    var stats = r.target.cluster().stats();
    stats.upstreamRqTotal().inc();
    stats.upstreamRqActive().inc();
    host.requestStarted();
    startNanos = System.nanoTime();
    long perTryMs = r.retry.perTryTimeoutMillis();
    if (perTryMs > 0) {
      perTry = new Deadline(this::onPerTryTimeout);
      perTry.arm(r.cb.eventLoop(), TimeUnit.MILLISECONDS.toNanos(perTryMs));
    }
    pending = r.cfg.pools.newStream(r.cb.eventLoop(), r.target.cluster().name(), host.address(),
        host.hostname(), r.target.settings(), r.target.eventsFor(host), this);
  }

  boolean ready() {
    return stream != null && !discarding;
  }

  void write(HttpContent c) {
    if (stream == null || discarding) {
      c.release();
      return;
    }
    stream.write(c);
  }

  void writeRaw(ByteBuf bytes) {
    if (stream == null) {
      bytes.release();
      return;
    }
    stream.writeRaw(bytes);
  }

  @Override
  public void onReady(UpstreamStream s) {
    if (discarding || ended) {
      s.reset();
      return;
    }
    stream = s;
    s.write(r.headForAttempt());
    r.flushBody(this);
  }

  @Override
  public void onResponseHeaders(HttpResponse res) {
    if (discarding) {
      ReferenceCountUtil.release(res);
      return;
    }
    cancelPerTry();
    status = res.status().code();
    long ms = (System.nanoTime() - startNanos) / 1_000_000;
    r.target.cluster().reportResponse(host, status);
    r.target.cluster().stats().recordResponse(status, ms);
    if (r.retryOnResponse(this, res)) {
      ReferenceCountUtil.release(res);
      discarding = true;
      end(false);
      stream.reset();
      return;
    }
    if (isRetry) {
      r.target.cluster().stats().upstreamRqRetrySuccess().inc();
    }
    res.headers().set(RouterFilter.X_ENVOY_UPSTREAM_SERVICE_TIME, Long.toString(ms));
    r.cb.info().upstreamServiceTimeMillis = ms;
    r.entry.responseHeaderMutations().apply(res.headers(), r.view);
    r.cb.info().setResponseCodeDetails("via_upstream"); // Envoy's details for a proxied response
    r.cb.info().markFirstUpstreamRxByte();
    if (status == 101 && !(res instanceof LastHttpContent)) {
      r.cb.encodeHeaders(res);
      r.tunnel = r.cb.upgrade(r::tunnelFromDownstream, () -> {
        if (stream != null) {
          stream.reset();
        }
      });
      return;
    }
    r.cb.encodeHeaders(res);
    if (res instanceof LastHttpContent) {
      completed();
    }
  }

  @Override
  public void onResponseData(HttpContent c) {
    if (discarding) {
      c.release();
      return;
    }
    if (r.tunnel != null) {
      if (c instanceof LastHttpContent) {
        c.release();
        completed();
        r.tunnel.close();
      } else {
        r.tunnel.write(c.content());
      }
      return;
    }
    boolean last = c instanceof LastHttpContent;
    if (last) {
      completed();
    }
    r.cb.encodeData(c);
  }

  private void completed() {
    responseDone = true;
    r.attempt = null;
    end(status < 500);
    r.finish();
    if (!r.requestEnded && stream != null) {
      // the response ended before the request: Envoy resets the upstream request
      stream.reset();
    }
  }

  @Override
  public void onFailure(UpstreamFailure failure, String detail) {
    if (discarding || responseDone) {
      return;
    }
    cancelPerTry();
    end(false);
    if (failure == UpstreamFailure.CONNECTION_FAILURE) {
      r.target.cluster().reportConnectFailure(host);
    } else if (failure != UpstreamFailure.OVERFLOW) {
      r.target.cluster().reportReset(host);
    }
    r.attemptFailed(this, failure, detail, false);
  }

  private void onPerTryTimeout() {
    perTry = null;
    if (discarding || responseDone) {
      return;
    }
    r.target.cluster().stats().upstreamRqPerTryTimeout().inc();
    timedOut();
    r.attemptFailed(this, UpstreamFailure.LOCAL_RESET, "per try timeout", true);
  }

  /** The route or per-try timeout expired on this attempt. */
  void timedOut() {
    host.requestTimedOut();
    r.target.cluster().reportTimeout(host);
    abandon();
  }

  /** Drops the attempt: cancels a pending connection or resets the stream. */
  void abandon() {
    discarding = true;
    cancelPerTry();
    if (pending != null) {
      pending.cancel();
    }
    if (stream != null && !responseDone) {
      stream.reset();
    }
    end(false);
  }

  private void end(boolean success) {
    if (ended) {
      return;
    }
    ended = true;
    r.target.cluster().circuitBreakers().releaseRequest();
    r.target.cluster().stats().upstreamRqActive().dec();
    host.requestFinished(success);
  }

  private void cancelPerTry() {
    if (perTry != null) {
      perTry.cancel();
      perTry = null;
    }
  }
}
