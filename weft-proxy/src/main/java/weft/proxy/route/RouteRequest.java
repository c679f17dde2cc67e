package weft.proxy.route;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import weft.proxy.matcher.HeaderSource;

/**
 * What route matching reads from a request. Implemented by the HTTP connection manager's stream;
 * read on the stream's event loop only. Pseudo-headers ({@code :method}, {@code :path}, {@code
 * :authority}, {@code :scheme}) resolve from the accessors, other headers from {@link #headers()}.
 */
public interface RouteRequest extends HeaderSource {
  /** The request method, upper-case as received ({@code GET}). */
  String method();

  /** {@code :authority} or the HTTP/1 Host header, as received (may carry a port). */
  String authority();

  /** The raw request target path, including the query string ({@code /a/b?x=1}). */
  String path();

  /**
   * The effective scheme ({@code http} or {@code https}): what Envoy reads from
   * {@code x-forwarded-proto} after the connection manager has sanitised it.
   */
  String scheme();

  /** The request headers (regular headers; pseudo-headers need not be present). */
  HttpHeaders headers();

  /** The downstream client address (after XFF / original-source processing, if any). */
  InetSocketAddress downstreamAddress();

  /** The address of the peer of the downstream connection; defaults to {@link #downstreamAddress}. */
  default InetSocketAddress downstreamDirectAddress() {
    return downstreamAddress();
  }

  /** The local address the downstream connection arrived on, or null when unknown. */
  default InetSocketAddress downstreamLocalAddress() {
    return null;
  }

  @Override
  default String header(String lowerCaseName) {
    return HeaderSource.resolve(lowerCaseName, method(), authority(), path(), scheme(), headers());
  }
}
