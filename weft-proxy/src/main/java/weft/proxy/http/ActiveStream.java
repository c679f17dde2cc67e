package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request/response exchange inside the connection manager (Envoy's ActiveStream): applies
 * the header rules, runs the filter chain, sends local replies, counts stats and reports the
 * finished stream. Confined to its connection's event loop.
 */
final class ActiveStream implements FilterCallbacks {
  private final HcmConfig cfg;
  private final ResponseSink sink;
  final StreamInfo info;
  private HttpFilter[] filters = new HttpFilter[0];
  private HttpRequest request;
  private boolean grpc;
  private boolean requestEnded;
  private int stoppedAt = -1;
  private ArrayDeque<HttpContent> held;
  private boolean responseStarted;
  private boolean done;
  private long lastActivityNanos;
  /** stream_idle_timeout: armed at start, re-armed only when it expires after recent activity. */
  private final Deadline idleTimer = new Deadline(this::checkIdle);
  /** request_timeout (off by default): made only when configured. */
  private Deadline requestTimer;
  boolean closeConnection;

  ActiveStream(HcmConfig cfg, ResponseSink sink, DownstreamConnection conn) {
    this.cfg = cfg;
    this.sink = sink;
    this.info = new StreamInfo(conn, sink.isHttp2() ? "HTTP/2" : "HTTP/1.1");
  }

  /** The request head arrived; a {@code FullHttpRequest} also carries the whole body. */
  void start(HttpRequest msg, boolean upgrade) {
    start(msg, upgrade, false);
  }

  /**
   * As {@link #start(HttpRequest, boolean)}; {@code noBody} says the head ends the request (an
   * HTTP/1.1 request without Content-Length or chunked framing), so filters see end-of-stream.
   */
  void start(HttpRequest msg, boolean upgrade, boolean noBody) {
    HcmStats s = cfg.stats();
    s.rqTotal.inc();
    s.rqActive.inc();
    (sink.isHttp2() ? s.rqHttp2Total : s.rqHttp1Total).inc();
    lastActivityNanos = System.nanoTime();
    LastHttpContent body = null;
    if (msg instanceof FullHttpRequest full) {
      // split so that filters always see a head followed by body chunks
      request = new DefaultHttpRequest(full.protocolVersion(), full.method(), full.uri(), full.headers());
      if (!full.content().isReadable() && full.trailingHeaders().isEmpty()) {
        full.release();
        noBody = true;
      } else {
        body = new DefaultLastHttpContent(full.content(), full.trailingHeaders());
      }
    } else {
      request = msg;
    }
    if (!sink.isHttp2() && request.protocolVersion().minorVersion() == 0) {
      info.protocol = "HTTP/1.0";
    }
    info.request = request;
    info.originalPath = request.uri();
    String ct = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
    grpc = ct != null && ct.startsWith("application/grpc");
    armTimers();
    RequestHeaderRules.Rejection rejection =
        RequestHeaderRules.apply(cfg, info.connection, request, sink.isHttp2(), upgrade);
    if (rejection != null) {
      if (body != null) {
        body.release();
      }
      requestEnded = body != null || noBody;
      sendLocalReply(rejection.status(), "", null, rejection.details());
      return;
    }
    info.originalPath = request.uri();
    info.trustedClientAddress =
        RequestHeaderRules.trustedClientAddress(cfg, info.connection, request.headers());
    if (!sink.isHttp2() && io.netty.handler.codec.http.HttpUtil.is100ContinueExpected(request)) {
      // Envoy answers 100-continue itself and does not forward Expect (proxy_100_continue false)
      request.headers().remove(HttpHeaderNames.EXPECT);
      sink.writeContinue();
    }
    filters = new HttpFilter[cfg.filters().size()];
    for (int i = 0; i < filters.length; i++) {
      filters[i] = cfg.filters().get(i).create(this);
    }
    if (noBody) {
      requestEnded = true;
      info.lastRxNanos = System.nanoTime();
      cancel(requestTimer);
    }
    if (body != null) {
      requestEnded = true;
      info.lastRxNanos = System.nanoTime();
      cancel(requestTimer);
      held = new ArrayDeque<>(1);
      held.add(body);
      info.bytesReceived += body.content().readableBytes();
    }
    decodeHeaders(0);
  }

  /**
   * Answers a request the codec refused (no filters run): {@code status} with the reason phrase
   * as body and {@code connection: close}.
   */
  void rejectEarly(int status, String details) {
    HcmStats s = cfg.stats();
    s.rqTotal.inc();
    s.rqActive.inc();
    s.rqHttp1Total.inc();
    requestEnded = true;
    closeConnection = true;
    sendLocalReply(status,
        io.netty.handler.codec.http.HttpResponseStatus.valueOf(status).reasonPhrase(), null, details);
  }

  private void decodeHeaders(int from) {
    for (int i = from; i < filters.length; i++) {
      HttpFilter.Status st = filters[i].onRequestHeaders(request, requestEnded && held == null);
      if (done || responseStarted) {
        releaseHeld();
        return;
      }
      if (st == HttpFilter.Status.STOP) {
        stoppedAt = i;
        // a filter that stops headers still sees the body; later filters wait for it
        deliverHeld(from, i + 1, i == filters.length - 1);
        return;
      }
    }
    stoppedAt = -1;
    deliverHeld(from, filters.length, true);
  }

  /** Gives held body chunks to filters [from, to); drops the hold when {@code release}. */
  private void deliverHeld(int from, int to, boolean release) {
    if (held == null) {
      return;
    }
    for (HttpContent c : held) {
      for (int i = from; i < to && !done; i++) {
        filters[i].onRequestData(c);
      }
    }
    if (release) {
      // the last filter (router) took ownership of each chunk
      held = null;
    }
  }

  @Override
  public void continueDecoding() {
    if (stoppedAt >= 0 && !done) {
      int next = stoppedAt + 1;
      stoppedAt = -1;
      decodeHeaders(next);
    }
  }

  /** A request body chunk from the codec. */
  void onData(HttpContent c) {
    lastActivityNanos = System.nanoTime();
    if (requestEnded && c instanceof LastHttpContent && !c.content().isReadable()) {
      // the codec's end marker for a request whose head already ended it
      c.release();
      return;
    }
    info.bytesReceived += c.content().readableBytes();
    if (c instanceof LastHttpContent) {
      requestEnded = true;
      info.lastRxNanos = System.nanoTime();
      cancel(requestTimer);
    }
    if (done || filters.length == 0) {
      c.release();
      return;
    }
    if (stoppedAt >= 0 && stoppedAt < filters.length - 1) {
      for (int i = 0; i <= stoppedAt && !done; i++) {
        filters[i].onRequestData(c);
      }
      if (held == null) {
        held = new ArrayDeque<>();
      }
      held.add(c);
      return;
    }
    for (HttpFilter f : filters) {
      f.onRequestData(c);
    }
  }

  private void releaseHeld() {
    if (held != null) {
      held.forEach(ReferenceCountUtil::release);
      held = null;
    }
  }

  /** The downstream went away (connection closed or stream reset by the peer). */
  void onDownstreamReset() {
    if (done) {
      return;
    }
    cfg.stats().rqRxReset.inc();
    info.addResponseFlag("DC");
    finish();
  }

  @Override
  public EventLoop eventLoop() {
    return sink.eventLoop();
  }

  @Override
  public StreamInfo info() {
    return info;
  }

  @Override
  public void sendLocalReply(int status, String body, Consumer<HttpHeaders> headers, String details) {
    if (done) {
      return;
    }
    if (responseStarted) {
      info.responseCodeDetails = details;
      resetStream();
      return;
    }
    info.responseCodeDetails = details;
    var r = LocalReply.build(sink.alloc(), status, body, grpc);
    if (headers != null) {
      headers.accept(r.headers());
    }
    if (!requestEnded && !sink.isHttp2()) {
      // the rest of the request cannot be skipped reliably: close after this response, as Envoy
      closeConnection = true;
    }
    encodeHeaders(r);
  }

  @Override
  public void encodeHeaders(HttpResponse response) {
    if (done || responseStarted) {
      ReferenceCountUtil.release(response);
      return;
    }
    responseStarted = true;
    lastActivityNanos = System.nanoTime();
    for (int i = filters.length - 1; i >= 0; i--) {
      filters[i].onResponseHeaders(response);
    }
    int code = response.status().code();
    HopByHop.strip(response.headers(), code == 101);
    response.headers().set(HttpHeaderNames.SERVER, cfg.serverName());
    info.responseCode = code;
    info.responseHeaders = response.headers();
    cfg.stats().responseCode(code);
    boolean last = response instanceof LastHttpContent;
    if (last) {
      info.bytesSent += ((LastHttpContent) response).content().readableBytes();
    }
    sink.writeHead(this, response);
    if (last) {
      finishResponse();
    }
  }

  private ResponsePacer pacer;

  @Override
  public void limitResponseRate(long kibPerSecond) {
    if (!responseStarted) {
      pacer = new ResponsePacer(sink.eventLoop(), kibPerSecond, this::sendData);
    }
  }

  @Override
  public void encodeData(HttpContent content) {
    if (done || !responseStarted) {
      content.release();
      return;
    }
    if (pacer != null) {
      pacer.add(content);
      return;
    }
    sendData(content);
  }

  private void sendData(HttpContent content) {
    if (done) {
      content.release();
      return;
    }
    lastActivityNanos = System.nanoTime();
    info.bytesSent += content.content().readableBytes();
    boolean last = content instanceof LastHttpContent;
    sink.writeContent(content);
    if (last) {
      finishResponse();
    }
  }

  @Override
  public boolean responseStarted() {
    return responseStarted;
  }

  @Override
  public void resetStream() {
    if (done) {
      return;
    }
    cfg.stats().rqTxReset.inc();
    finish();
    sink.reset(this);
  }

  @Override
  public UpgradedTunnel upgrade(Consumer<ByteBuf> fromDownstream, Runnable downstreamClosed) {
    cancel(idleTimer);
    cancel(requestTimer);
    return sink.upgrade(this, fromDownstream, downstreamClosed);
  }

  private void finishResponse() {
    finish();
    sink.complete(this);
  }

  private void finish() {
    if (done) {
      return;
    }
    done = true;
    releaseHeld();
    if (pacer != null) {
      pacer.close();
    }
    cancel(idleTimer);
    cancel(requestTimer);
    info.durationNanos = System.nanoTime() - info.startNanos;
    cfg.stats().rqActive.dec();
    cfg.stats().rqCompleted.inc();
    for (HttpFilter f : filters) {
      f.onDestroy();
    }
    cfg.streamObserver().onComplete(info);
  }

  boolean isDone() {
    return done;
  }

  boolean requestEnded() {
    return requestEnded;
  }

  private void armTimers() {
    long req = cfg.requestTimeout().toNanos();
    if (req > 0) {
      requestTimer = new Deadline(() -> {
        if (!requestEnded && !done) {
          cfg.stats().rqTimeout.inc();
          sendLocalReply(408, "request timeout", null, "request_overall_timeout");
        }
      });
      requestTimer.arm(sink.eventLoop(), req);
    }
    long idle = cfg.streamIdleTimeout().toNanos();
    if (idle > 0) {
      idleTimer.arm(sink.eventLoop(), idle);
    }
  }

  private long idleTimeoutNanos = -1;

  @Override
  public void setStreamIdleTimeout(long millis) {
    idleTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(millis);
    idleTimer.cancel();
    if (idleTimeoutNanos > 0 && !done) {
      idleTimer.arm(sink.eventLoop(), idleTimeoutNanos);
    }
  }

  private void checkIdle() {
    if (done) {
      return;
    }
    long idle = idleTimeoutNanos >= 0 ? idleTimeoutNanos : cfg.streamIdleTimeout().toNanos();
    if (idle <= 0) {
      return;
    }
    long quiet = System.nanoTime() - lastActivityNanos;
    if (quiet < idle) {
      idleTimer.arm(sink.eventLoop(), idle - quiet);
      return;
    }
    cfg.stats().rqIdleTimeout.inc();
    info.addResponseFlag("SI");
    sendLocalReply(408, "stream timeout", null, "stream_idle_timeout");
  }

  /** Activity from upstream (router) counts against the stream idle timeout too. */
  void touch() {
    lastActivityNanos = System.nanoTime();
  }

  private static void cancel(Deadline d) {
    if (d != null) {
      d.cancel();
    }
  }
}
