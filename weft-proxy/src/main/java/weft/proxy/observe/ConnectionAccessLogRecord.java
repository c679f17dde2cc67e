package weft.proxy.observe;

import io.netty.handler.codec.http.HttpHeaders;

/**
 * A record of a whole connection (tcp_proxy, or the listener's own access log): the HTTP fields are
 * absent, and print as Envoy's {@code -} (the response code as 0).
 */
public interface ConnectionAccessLogRecord extends AccessLogRecord {
  @Override
  default String protocol() {
    return null;
  }

  @Override
  default String requestMethod() {
    return null;
  }

  @Override
  default String requestPath() {
    return null;
  }

  @Override
  default String authority() {
    return null;
  }

  @Override
  default HttpHeaders requestHeaders() {
    return null;
  }

  @Override
  default HttpHeaders responseHeaders() {
    return null;
  }

  @Override
  default int responseCode() {
    return 0;
  }
}
