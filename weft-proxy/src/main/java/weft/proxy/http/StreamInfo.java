package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * Mutable facts about one stream, filled as it progresses and read by access logs and filters.
 * Confined to the stream's event loop.
 */
public final class StreamInfo {
  public final long startMillis = System.currentTimeMillis();
  public final long startNanos = System.nanoTime();
  public final DownstreamConnection connection;
  String protocol;
  String trustedClientAddress;
  HttpRequest request;
  String originalPath;
  int responseCode;
  HttpHeaders responseHeaders;
  String responseCodeDetails = "";
  final StringBuilder responseFlags = new StringBuilder(4);
  long bytesReceived;
  long bytesSent;
  long durationNanos = -1;
  public InetSocketAddress upstreamHost;
  public String upstreamCluster;
  public String routeName;
  public long upstreamServiceTimeMillis = -1;
  public String upstreamTransportFailureReason;

  StreamInfo(DownstreamConnection connection, String protocol) {
    this.connection = connection;
    this.protocol = protocol;
  }

  /** {@code HTTP/1.0}, {@code HTTP/1.1} or {@code HTTP/2}. */
  public String protocol() {
    return protocol;
  }

  /** The client address per use_remote_address / xff_num_trusted_hops (RBAC remote_ip). */
  public String trustedClientAddress() {
    return trustedClientAddress;
  }

  /** The request head as forwarded (after the connection manager's header rules). */
  public HttpRequest request() {
    return request;
  }

  /** The path before any rewrite, for {@code %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)%}. */
  public String originalPath() {
    return originalPath;
  }

  public int responseCode() {
    return responseCode;
  }

  public HttpHeaders responseHeaders() {
    return responseHeaders;
  }

  public String responseCodeDetails() {
    return responseCodeDetails;
  }

  public void setResponseCodeDetails(String details) {
    this.responseCodeDetails = details;
  }

  /** Envoy response flags, e.g. {@code UF}, {@code UH}, {@code NR}, comma separated. */
  public String responseFlags() {
    return responseFlags.length() == 0 ? "-" : responseFlags.toString();
  }

  /** Adds an Envoy response flag ({@code UF}, {@code URX}, ...). */
  public void addResponseFlag(String flag) {
    if (responseFlags.length() > 0) {
      responseFlags.append(',');
    }
    responseFlags.append(flag);
  }

  public long bytesReceived() {
    return bytesReceived;
  }

  public long bytesSent() {
    return bytesSent;
  }

  /** Total duration in nanoseconds, or -1 while the stream is active. */
  public long durationNanos() {
    return durationNanos;
  }
}
