package weft.proxy.http;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.util.function.Consumer;

/** What a filter instance may do to its stream. Call only on {@link #eventLoop()}. */
public interface FilterCallbacks {
  EventLoop eventLoop();

  /** Facts about the stream and its connection, also read by access logs. */
  StreamInfo info();

  /** Resumes request processing after this filter returned {@code STOP}. */
  void continueDecoding();

  /**
   * Answers the request locally, Envoy style ({@code content-type: text/plain} body, gRPC requests
   * get a trailers-only response). {@code details} becomes {@code %RESPONSE_CODE_DETAILS%}.
   * If the response has already started, the stream is reset instead.
   */
  void sendLocalReply(int status, String body, Consumer<HttpHeaders> headers, String details);

  /** Sends the response head downstream (router); a {@code FullHttpResponse} ends the stream. */
  void encodeHeaders(HttpResponse response);

  /** Sends a response body chunk downstream; a {@code LastHttpContent} ends the stream. */
  void encodeData(HttpContent content);

  /** True once response headers have gone downstream. */
  boolean responseStarted();

  /** Paces the response body at {@code kibPerSecond} (fault filter response_rate_limit). */
  void limitResponseRate(long kibPerSecond);

  /** The route's idle_timeout replaces the connection manager's stream_idle_timeout; 0 disables. */
  void setStreamIdleTimeout(long millis);

  /** Aborts the stream (HTTP/2 RST_STREAM, HTTP/1.1 connection close). */
  void resetStream();

  /**
   * Registers a sink for raw bytes the downstream sends after a 101 upgrade (WebSocket); the
   * returned writer sends raw bytes downstream. Only for HTTP/1.1 downstreams.
   */
  UpgradedTunnel upgrade(Consumer<io.netty.buffer.ByteBuf> fromDownstream, Runnable downstreamClosed);

  /** The downstream side of an upgraded connection. */
  interface UpgradedTunnel {
    void write(io.netty.buffer.ByteBuf bytes);

    void close();
  }
}
