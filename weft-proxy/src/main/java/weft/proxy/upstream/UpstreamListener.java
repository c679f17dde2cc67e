package weft.proxy.upstream;

import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpResponse;

/**
 * Receives one upstream exchange's events. Every method is called on the event loop of the
 * downstream connection that asked for the stream (pools are per event loop).
 */
public interface UpstreamListener {
  /** The stream is ready: write the request to it. */
  void onReady(UpstreamStream stream);

  /** Response headers (1xx other than 101 are not delivered). */
  void onResponseHeaders(HttpResponse response);

  /** A body chunk; a {@code LastHttpContent} ends the response and may carry trailers. */
  void onResponseData(HttpContent content);

  /** The exchange failed: no connection, or a reset before the response ended. */
  void onFailure(UpstreamFailure failure, String detail);
}
