package weft.proxy.router;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import weft.proxy.cluster.Host;
import weft.proxy.cluster.LbContext;
import weft.proxy.http.Deadline;
import weft.proxy.http.FilterCallbacks;
import weft.proxy.http.HttpFilter;
import weft.proxy.route.MirrorPolicy;
import weft.proxy.route.RetryPolicy;
import weft.proxy.route.RouteEntry;
import weft.proxy.route.RouteResult;
import weft.proxy.upstream.UpstreamFailure;

/**
 * The terminal filter (Envoy's router): routes the request, picks a host, forwards over a pooled
 * connection, retries per the route's retry policy with jittered back-off, enforces the route
 * and per-try timeouts, mirrors to shadow clusters, and relays the response. One per stream,
 * confined to its event loop.
 */
final class RouterFilter implements HttpFilter, LbContext {
  /** Header names as AsciiString constants: the header map hashes a String name on every call. */
  static final AsciiString X_ENVOY_OVERLOADED = AsciiString.cached("x-envoy-overloaded");

  static final AsciiString X_ENVOY_UPSTREAM_SERVICE_TIME =
      AsciiString.cached("x-envoy-upstream-service-time");

  final RouterConfig cfg;
  final FilterCallbacks cb;
  RouteRequestView view;
  RouteEntry entry;
  UpstreamTargets.Target target;
  /** The clusters in force when this stream started (one read of the swapped reference). */
  private UpstreamTargets targets;
  RetryPolicy retry = RetryPolicy.NONE;
  private OptionalLong hash = OptionalLong.empty();
  HttpRequest head;
  /** Request body kept for retries (retained); null once streaming without retries. */
  List<HttpContent> body = new ArrayList<>();
  int bodyBytes;
  boolean requestEnded;
  boolean buffering = true;
  UpstreamAttempt attempt;
  int retriesDone;
  /** Hosts tried so far, kept only for the previous_hosts predicate (null without it). */
  private List<Host> triedHosts;
  /** The route timeout (15 s unless the route says otherwise), armed when the request ends. */
  private Deadline routeTimer;
  private ScheduledFuture<?> retryTimer;
  boolean finished;
  private List<ShadowExchange> shadows;
  FilterCallbacks.UpgradedTunnel tunnel;

  RouterFilter(RouterConfig cfg, FilterCallbacks cb) {
    this.cfg = cfg;
    this.cb = cb;
  }

  @Override
  public Status onRequestHeaders(HttpRequest request, boolean endStream) {
    cfg.stats.rqTotal.inc();
    view = new RouteRequestView(request, cb.info());
    targets = cfg.targets.get();
    RouteResult result = cfg.routes.get().route(view);
    switch (result) {
      case RouteResult.NoRoute n -> {
        cfg.stats.noRoute.inc();
        cb.info().addResponseFlag("NR");
        finished = true;
        cb.sendLocalReply(404, "", null, "route_not_found");
      }
      case RouteResult.Redirect r -> {
        cfg.stats.rqRedirect.inc();
        finished = true;
        cb.sendLocalReply(r.status(), "", h -> {
          h.set(HttpHeaderNames.LOCATION, r.location());
          r.responseHeaders().apply(h, view);
        }, "direct_response");
      }
      case RouteResult.DirectResponse d -> {
        cfg.stats.rqDirectResponse.inc();
        finished = true;
        cb.sendLocalReply(d.status(), d.body().toStringUtf8(), h -> {
          if (d.location() != null) {
            h.set(HttpHeaderNames.LOCATION, d.location());
          }
          d.responseHeaders().apply(h, view);
        }, "direct_response");
      }
      case RouteResult.Forward f -> forward(request, f, endStream);
    }
    return Status.STOP;
  }

  private void forward(HttpRequest request, RouteResult.Forward f, boolean endStream) {
    entry = f.entry();
    cb.info().routeName = entry.name();
    target = f.cluster() == null ? null : targets.get(f.cluster());
    cb.info().upstreamCluster = f.cluster();
    if (target == null) {
      cfg.stats.noCluster.inc();
      cb.info().addResponseFlag("NC");
      finished = true;
      cb.sendLocalReply(503, "", null, "cluster_not_found");
      return;
    }
    retry = entry.retryPolicy();
    if (entry.idleTimeoutMillis() >= 0) {
      cb.setStreamIdleTimeout(entry.idleTimeoutMillis());
    }
    hash = entry.hashPolicy().isEmpty() ? OptionalLong.empty() : entry.hashPolicy().hash(view);
    // header mutations, then host and path rewrites, in Envoy's order (one place: RouteEntry)
    entry.finalizeRequest(request, view, true);
    head = request;
    requestEnded = endStream;
    if (retry.retryOn().isEmpty() || retry.numRetries() == 0) {
      buffering = false;
    }
    startShadows();
    if (endStream) {
      armRouteTimeout();
    }
    startAttempt();
  }

  @Override
  public void onRequestData(HttpContent content) {
    if (finished || head == null || (requestEnded && !(content instanceof LastHttpContent))) {
      content.release();
      return;
    }
    if (requestEnded) {
      // the head already said "no body": this is the codec's empty end marker
      content.release();
      return;
    }
    boolean last = content instanceof LastHttpContent;
    if (last) {
      requestEnded = true;
      armRouteTimeout();
    }
    if (shadows != null) {
      for (ShadowExchange s : shadows) {
        s.data(content.retainedDuplicate());
      }
    }
    bodyBytes += content.content().readableBytes();
    if (buffering && bodyBytes > RouterConfig.RETRY_BUFFER_LIMIT) {
      // too large to replay: stream it and give up on retries (Envoy does the same)
      buffering = false;
    }
    UpstreamAttempt a = attempt;
    if (a != null && a.ready()) {
      if (buffering) {
        // the attempt gets the received bytes, the retry buffer a copy: an HTTP/2 downstream
        // returns window only when its bytes are released, so holding them would stall it
        body.add(content.copy());
        a.write(content);
      } else {
        // a ready attempt already has everything held so far (for retries only): drop it
        body.forEach(ReferenceCountUtil::release);
        body.clear();
        a.write(content);
      }
    } else {
      body.add(content);
    }
  }

  /** Hands the held body to {@code a}: the bytes themselves, keeping copies while retries are possible. */
  void flushBody(UpstreamAttempt a) {
    if (body.isEmpty()) {
      return;
    }
    if (buffering) {
      for (int i = 0; i < body.size(); i++) {
        HttpContent c = body.get(i);
        body.set(i, c.copy());
        a.write(c);
      }
    } else {
      for (HttpContent c : body) {
        a.write(c);
      }
      body.clear();
    }
  }

  /**
   * The request head for one attempt. The downstream header map is forwarded as is, not copied:
   * every edit (hop-by-hop removal, XFF, x-request-id, route mutations and rewrites) was made in
   * place before the first attempt, and what an attempt adds (the framing header below) is the same
   * for every attempt; an HTTP/2 upstream drops that header as connection-specific. Mirrors take
   * their own copy before the first attempt starts.
   */
  HttpRequest headForAttempt() {
    HttpHeaders headers = head.headers();
    if (requestEnded && body.isEmpty()) {
      // a retry after the body turned out empty: no chunked framing left from an earlier try
      headers.remove(HttpHeaderNames.TRANSFER_ENCODING);
      return new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
          Unpooled.EMPTY_BUFFER, headers, io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE);
    }
    if (!headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
      headers.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    return new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), headers);
  }

  void startAttempt() {
    retryTimer = null;
    if (finished) {
      return;
    }
    Host host = target.cluster().choose(this);
    if (host == null) {
      cb.info().addResponseFlag("UH");
      finish();
      cb.sendLocalReply(503, LocalReplies.NO_HEALTHY_UPSTREAM, null, "no_healthy_upstream");
      return;
    }
    var breakers = target.cluster().circuitBreakers();
    if (!breakers.tryAcquireRequest()) {
      cb.info().addResponseFlag("UO");
      finish();
      cb.sendLocalReply(503, LocalReplies.resetBeforeHeaders(UpstreamFailure.OVERFLOW, null, false),
          h -> h.set(X_ENVOY_OVERLOADED, "true"), "upstream_reset_before_response_started{overflow}");
      return;
    }
    if (retry.avoidPreviousHosts()) {
      if (triedHosts == null) {
        triedHosts = new ArrayList<>(2);
      }
      triedHosts.add(host);
    }
    cb.info().upstreamHost = host.address();
    if (entry.autoHostRewrite() && host.hostname() != null && !host.hostname().isEmpty()) {
      head.headers().set(HttpHeaderNames.HOST, host.hostname());
    }
    attempt = new UpstreamAttempt(this, host, retriesDone > 0);
    attempt.start();
  }

  /** Decides on a failed attempt: retry (after back-off) or answer downstream. */
  void attemptFailed(UpstreamAttempt a, UpstreamFailure failure, String detail, boolean timeout) {
    if (a != attempt || finished) {
      return;
    }
    attempt = null;
    if (cb.responseStarted()) {
      cfg.stats.rqResetAfterResponseStarted.inc();
      finish();
      cb.resetStream();
      return;
    }
    if (shouldRetry(failure, timeout, 0) && scheduleRetry()) {
      return;
    }
    finish();
    if (timeout) {
      cb.info().addResponseFlag("UT");
      cb.sendLocalReply(504, LocalReplies.TIMEOUT, null, "upstream_per_try_timeout");
      return;
    }
    cb.info().addResponseFlag(LocalReplies.flag(failure));
    cb.info().upstreamTransportFailureReason = detail;
    cb.sendLocalReply(LocalReplies.status(failure), LocalReplies.resetBeforeHeaders(failure,
        failure == UpstreamFailure.CONNECTION_FAILURE ? detail : null, retriesDone > 0),
        failure == UpstreamFailure.OVERFLOW ? h -> h.set(X_ENVOY_OVERLOADED, "true") : null,
        LocalReplies.details(failure));
  }

  /** A response arrived; true when it should be retried instead of forwarded. */
  boolean retryOnResponse(UpstreamAttempt a, HttpResponse res) {
    int code = res.status().code();
    if (res.headers().contains(X_ENVOY_OVERLOADED) || a != attempt || finished) {
      return false;
    }
    if (!shouldRetry(null, false, code)
        && !(buffering && retriesDone < retry.numRetries() && RetryConditions.onGrpc(retry, res))) {
      return false;
    }
    attempt = null;
    return scheduleRetry();
  }

  private boolean shouldRetry(UpstreamFailure failure, boolean timeout, int status) {
    if (!buffering || retriesDone >= retry.numRetries() || retry.retryOn().isEmpty()) {
      return false;
    }
    if (timeout) {
      return retry.retriesOn(RetryPolicy.RetryOn.FIVE_XX)
          || retry.retriesOn(RetryPolicy.RetryOn.GATEWAY_ERROR)
          || retry.retriesOn(RetryPolicy.RetryOn.RESET);
    }
    if (failure == UpstreamFailure.OVERFLOW) {
      return false; // a local circuit-breaker answer, never retried (x-envoy-overloaded)
    }
    if (failure != null) {
      return RetryConditions.onReset(retry, failure);
    }
    return RetryConditions.onStatus(retry, status);
  }

  private boolean scheduleRetry() {
    var breakers = target.cluster().circuitBreakers();
    if (!breakers.tryAcquireRetry()) {
      return false; // counted as upstream_rq_retry_overflow by the breaker
    }
    retriesDone++;
    target.cluster().stats().upstreamRqRetry().inc();
    long delay = retry.backOffMillis(retriesDone, ThreadLocalRandom.current().nextLong());
    retryTimer = cb.eventLoop().schedule(() -> {
      breakers.releaseRetry();
      startAttempt();
    }, delay, TimeUnit.MILLISECONDS);
    return true;
  }

  /** The response completed downstream (or was abandoned). */
  void finish() {
    if (finished) {
      return;
    }
    finished = true;
    if (routeTimer != null) {
      routeTimer.cancel();
    }
    if (retryTimer != null && retryTimer.cancel(false)) {
      target.cluster().circuitBreakers().releaseRetry();
    }
    body.forEach(ReferenceCountUtil::release);
    body.clear();
  }

  private void armRouteTimeout() {
    long ms = entry == null ? 0 : entry.timeoutMillis();
    if (ms <= 0 || routeTimer != null || finished) {
      return;
    }
    routeTimer = new Deadline(this::onRouteTimeout);
    routeTimer.arm(cb.eventLoop(), TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private void onRouteTimeout() {
    if (finished) {
      return;
    }
    target.cluster().stats().upstreamRqTimeout().inc();
    UpstreamAttempt a = attempt;
    attempt = null;
    if (a != null) {
      a.timedOut();
    }
    if (cb.responseStarted()) {
      finish();
      cb.resetStream();
      return;
    }
    finish();
    cb.info().addResponseFlag("UT");
    cb.sendLocalReply(504, LocalReplies.TIMEOUT, null, "upstream_response_timeout");
  }

  private void startShadows() {
    for (MirrorPolicy m : entry.mirrorPolicies()) {
      if (!m.sampled(ThreadLocalRandom.current().nextLong())) {
        continue;
      }
      String name = m.cluster(view);
      UpstreamTargets.Target t = name == null ? null : targets.get(name);
      if (t == null) {
        continue;
      }
      if (shadows == null) {
        shadows = new ArrayList<>(1);
      }
      var h = head.headers().copy();
      if (m.appendShadowSuffix()) {
        h.set(HttpHeaderNames.HOST, MirrorPolicy.shadowAuthority(h.get(HttpHeaderNames.HOST)));
      }
      ShadowExchange s = new ShadowExchange(cfg, t, cb.eventLoop(),
          new DefaultHttpRequest(head.protocolVersion(), head.method(), head.uri(), h), requestEnded);
      shadows.add(s);
      s.start();
    }
  }

  /** Raw bytes from the downstream after a 101: forwarded to the upstream tunnel. */
  void tunnelFromDownstream(ByteBuf bytes) {
    UpstreamAttempt a = attempt;
    if (a == null) {
      bytes.release();
      return;
    }
    a.writeRaw(bytes);
  }

  @Override
  public void onDestroy() {
    UpstreamAttempt a = attempt;
    attempt = null;
    if (a != null) {
      a.abandon();
    }
    finish();
  }

  // ---- LbContext: hash_policy and the previous_hosts retry predicate

  @Override
  public boolean hasHashKey() {
    return hash.isPresent();
  }

  @Override
  public long hashKey() {
    return hash.orElse(0);
  }

  @Override
  public boolean shouldSelectAnotherHost(Host host) {
    return retry.avoidPreviousHosts() && triedHosts != null && triedHosts.contains(host);
  }

  @Override
  public int hostSelectionRetryCount() {
    return retry.avoidPreviousHosts() && triedHosts != null && !triedHosts.isEmpty()
        ? (int) Math.min(Integer.MAX_VALUE, retry.hostSelectionRetryMaxAttempts()) : 0;
  }
}
