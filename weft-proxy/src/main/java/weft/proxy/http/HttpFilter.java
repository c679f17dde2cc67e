package weft.proxy.http;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;

/**
 * An L7 filter instance: one per stream, created by its {@link HttpFilterFactory}; Envoy's
 * decoder/encoder filter model. Every method is called on the stream's event loop.
 *
 * <p>Request headers pass through the filters in config order; a filter returning {@link
 * Status#STOP} holds the stream (request body is buffered by the connection manager) until it
 * calls {@link FilterCallbacks#continueDecoding()} or sends a local reply. The last filter is the
 * router, which owns request body chunks; other filters only observe them and must not release
 * them. Response headers pass through the filters in reverse order.
 */
public interface HttpFilter {
  /** The outcome of a header callback. */
  enum Status {
    CONTINUE,
    STOP
  }

  /** Request headers; {@code endStream} when there is no body. May mutate the headers. */
  default Status onRequestHeaders(HttpRequest request, boolean endStream) {
    return Status.CONTINUE;
  }

  /** A request body chunk; a {@code LastHttpContent} ends the request and carries trailers. */
  default void onRequestData(HttpContent content) {}

  /** Response headers on their way downstream; may mutate them. */
  default void onResponseHeaders(HttpResponse response) {}

  /** The stream is over (completed or reset): release anything held. */
  default void onDestroy() {}
}
