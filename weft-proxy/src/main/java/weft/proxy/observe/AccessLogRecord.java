package weft.proxy.observe;

import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;

/**
 * What an access log line can show about one finished request (or TCP connection). The proxy
 * implements it over its per-stream state; the access log formats it on the calling thread, so
 * nothing here needs to outlive {@link AccessLogger#log}. Absent values are null (or -1 for
 * durations), and print as Envoy's {@code -}.
 */
public interface AccessLogRecord {
  /** When the first byte of the request arrived, epoch milliseconds. */
  long startEpochMillis();

  /** Start to last byte sent downstream ({@code %DURATION%}), ms; -1 if unknown. */
  long durationMillis();

  /** Start to last request byte received ({@code %REQUEST_DURATION%}), ms; -1 if unknown. */
  default long requestDurationMillis() {
    return -1;
  }

  /** Start to first response byte ({@code %RESPONSE_DURATION%}), ms; -1 if unknown. */
  default long responseDurationMillis() {
    return -1;
  }

  /** {@code HTTP/1.0}, {@code HTTP/1.1}, {@code HTTP/2}; null for TCP. */
  String protocol();

  /** {@code :method}; null for TCP. */
  String requestMethod();

  /** {@code :path} with the query, as forwarded (after any route rewrite), as Envoy's headers. */
  String requestPath();

  /**
   * The path before a route rewrite changed it, or null when it was not rewritten: Envoy's {@code
   * x-envoy-original-path}, which {@code %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%} prints. Consulted when
   * the request headers carry no such header.
   */
  default String originalPath() {
    return null;
  }

  /** {@code :authority} (the Host header for HTTP/1). */
  String authority();

  /** {@code :scheme}. */
  default String scheme() {
    return null;
  }

  /** Request headers (case-insensitive lookup), or null. Pseudo-headers come from the above. */
  HttpHeaders requestHeaders();

  /** Response headers, or null when no response was sent. */
  HttpHeaders responseHeaders();

  /** Response trailers, or null. */
  default HttpHeaders responseTrailers() {
    return null;
  }

  /** The status sent downstream, 0 when none ({@code %RESPONSE_CODE%} prints 0 then, as Envoy). */
  int responseCode();

  /** Envoy's short response flags ({@code UH,UF}), or null/empty for none. */
  String responseFlags();

  /** {@code %RESPONSE_CODE_DETAILS%}, e.g. {@code via_upstream}, {@code route_not_found}. */
  default String responseCodeDetails() {
    return null;
  }

  /** {@code %CONNECTION_TERMINATION_DETAILS%}. */
  default String connectionTerminationDetails() {
    return null;
  }

  /** Body bytes received from downstream. */
  long bytesReceived();

  /** Body bytes sent downstream. */
  long bytesSent();

  /** The upstream host that served the request (printed {@code ip:port}), or null. */
  InetSocketAddress upstreamHost();

  String upstreamCluster();

  default InetSocketAddress upstreamLocalAddress() {
    return null;
  }

  default String upstreamTransportFailureReason() {
    return null;
  }

  InetSocketAddress downstreamRemoteAddress();

  InetSocketAddress downstreamLocalAddress();

  /** SNI sent by the downstream client. */
  default String requestedServerName() {
    return null;
  }

  /** First URI SAN of the verified downstream client certificate. */
  default String downstreamPeerUriSan() {
    return null;
  }

  default String routeName() {
    return null;
  }

  /**
   * Every URI SAN of the verified downstream client certificate (gRPC access logs'
   * {@code tls_properties.peer_certificate_properties.subject_alt_name}); empty without one.
   */
  default java.util.List<String> downstreamPeerUriSans() {
    String san = downstreamPeerUriSan();
    return san == null ? java.util.List.of() : java.util.List.of(san);
  }

  /** The negotiated TLS version as the JDK names it ({@code TLSv1.3}), or null for plaintext. */
  default String downstreamTlsVersion() {
    return null;
  }
}
