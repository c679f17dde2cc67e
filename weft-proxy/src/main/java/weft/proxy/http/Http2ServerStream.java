package weft.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.util.function.Consumer;

/**
 * One HTTP/2 stream of an {@link Http2ServerConnection} carrying one {@link ActiveStream}: no
 * channel of its own; responses go out as HEADERS and DATA frames through the connection's
 * encoder (flow-controlled there per stream and per connection).
 */
final class Http2ServerStream implements ResponseSink {
  private final HcmConfig cfg;
  private final ConnectionTracker tracker;
  private final Http2ServerConnection conn;
  private final int streamId;
  private ActiveStream stream;
  /** The tracker's count for this stream was given back (response complete, reset or closed). */
  private boolean ended;
  /** The HTTP/2 stream is closed: nothing more may be written on it. */
  private boolean closed;

  Http2ServerStream(HcmConfig cfg, ConnectionTracker tracker, Http2ServerConnection conn, int streamId) {
    this.cfg = cfg;
    this.tracker = tracker;
    this.conn = conn;
    this.streamId = streamId;
  }

  void start(HttpRequest req, boolean endOfStream) {
    tracker.streamStarted();
    stream = new ActiveStream(cfg, this, tracker.connection());
    stream.start(req, false, endOfStream);
  }

  void onData(HttpContent c) {
    stream.onData(c);
  }

  /** The stream's exchange is over: later DATA is dropped (and its window returned) at once. */
  boolean requestDone() {
    return stream.isDone();
  }

  /** The HTTP/2 stream closed (both sides ended, RST_STREAM either way, or the connection went). */
  void closed() {
    closed = true;
    if (!stream.isDone()) {
      stream.onDownstreamReset();
    }
    end();
  }

  private void end() {
    if (!ended) {
      ended = true;
      tracker.streamEnded();
    }
  }

  @Override
  public EventLoop eventLoop() {
    return conn.context().channel().eventLoop();
  }

  @Override
  public boolean isHttp2() {
    return true;
  }

  @Override
  public ByteBufAllocator alloc() {
    return conn.context().alloc();
  }

  @Override
  public void writeContinue() {
    // HTTP/2 clients do not wait for 100-continue from weft: the request body simply flows
  }

  @Override
  public void writeHead(ActiveStream s, HttpResponse response) {
    if (closed) {
      ReferenceCountUtil.release(response);
      return;
    }
    HttpHeaders in = response.headers();
    Http2Headers h = new DefaultHttp2Headers(false, in.size() + 1);
    h.status(response.status().codeAsText());
    Http2Frames.addRegular(in, h);
    Http2Frames.writeHead(conn.context(), conn.encoder(), streamId, h,
        response instanceof LastHttpContent full ? full : null);
    conn.flushStreams();
  }

  @Override
  public void writeContent(HttpContent content) {
    if (closed) {
      content.release();
      return;
    }
    Http2Frames.writeBody(conn.context(), conn.encoder(), streamId, content);
    conn.flushStreams();
  }

  @Override
  public void complete(ActiveStream s) {
    end();
  }

  @Override
  public void reset(ActiveStream s) {
    end();
    if (!closed) {
      conn.reset(streamId, Http2Error.CANCEL);
    }
  }

  @Override
  public FilterCallbacks.UpgradedTunnel upgrade(
      ActiveStream s, Consumer<ByteBuf> fromDownstream, Runnable downstreamClosed) {
    throw new IllegalStateException("upgrade over HTTP/2 (extended CONNECT) is not supported");
  }
}
