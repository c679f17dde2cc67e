package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;

/**
 * Mutable facts about one stream, filled as it progresses and read by access logs and filters.
 * Confined to the stream's event loop.
 */
public final class StreamInfo implements weft.proxy.observe.AccessLogRecord {
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
  /** Null until the first flag: most streams never get one. */
  private String responseFlags;
  long bytesReceived;
  long bytesSent;
  long durationNanos = -1;
  /** When the last request byte arrived (nanoTime), or -1 while the request is incomplete. */
  long lastRxNanos = -1;
  private long firstUpstreamRxNanos = -1;
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
  @Override
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

  /** The path before a route rewrite, or null when it was not rewritten. */
  @Override
  public String originalPath() {
    return originalPath == null || request == null || originalPath.equals(request.uri())
        ? null : originalPath;
  }

  @Override
  public int responseCode() {
    return responseCode;
  }

  @Override
  public HttpHeaders responseHeaders() {
    return responseHeaders;
  }

  @Override
  public String responseCodeDetails() {
    return responseCodeDetails;
  }

  public void setResponseCodeDetails(String details) {
    this.responseCodeDetails = details;
  }

  /** Envoy response flags, e.g. {@code UF}, {@code UH}, {@code NR}, comma separated. */
  @Override
  public String responseFlags() {
    return responseFlags == null ? "-" : responseFlags;
  }

  /** Adds an Envoy response flag ({@code UF}, {@code URX}, ...). */
  public void addResponseFlag(String flag) {
    responseFlags = responseFlags == null ? flag : responseFlags + "," + flag;
  }

  @Override
  public long bytesReceived() {
    return bytesReceived;
  }

  @Override
  public long bytesSent() {
    return bytesSent;
  }

  /** Total duration in nanoseconds, or -1 while the stream is active. */
  public long durationNanos() {
    return durationNanos;
  }

  /** The router's mark: the first byte of the upstream response arrived (its headers). */
  public void markFirstUpstreamRxByte() {
    if (firstUpstreamRxNanos < 0) {
      firstUpstreamRxNanos = System.nanoTime();
    }
  }

  // ---- AccessLogRecord

  @Override
  public long requestDurationMillis() {
    return lastRxNanos < 0 ? -1 : (lastRxNanos - startNanos) / 1_000_000;
  }

  @Override
  public long responseDurationMillis() {
    return firstUpstreamRxNanos < 0 ? -1 : (firstUpstreamRxNanos - startNanos) / 1_000_000;
  }

  @Override
  public long startEpochMillis() {
    return startMillis;
  }

  @Override
  public long durationMillis() {
    return durationNanos < 0 ? -1 : durationNanos / 1_000_000;
  }

  @Override
  public String requestMethod() {
    return request == null ? null : request.method().name();
  }

  @Override
  public String requestPath() {
    return request == null ? null : request.uri();
  }

  @Override
  public String authority() {
    return request == null ? null : request.headers().get(io.netty.handler.codec.http.HttpHeaderNames.HOST);
  }

  @Override
  public String scheme() {
    return connection.scheme();
  }

  @Override
  public HttpHeaders requestHeaders() {
    return request == null ? null : request.headers();
  }

  @Override
  public InetSocketAddress upstreamHost() {
    return upstreamHost;
  }

  @Override
  public String upstreamCluster() {
    return upstreamCluster;
  }

  @Override
  public String upstreamTransportFailureReason() {
    return upstreamTransportFailureReason;
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    return connection.remoteAddress();
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return connection.localAddress();
  }

  @Override
  public String requestedServerName() {
    return connection.requestedServerName();
  }

  @Override
  public String downstreamPeerUriSan() {
    var sans = connection.verifiedPeer().uriSans();
    return sans.isEmpty() ? null : sans.get(0);
  }

  @Override
  public String routeName() {
    return routeName;
  }

  @Override
  public java.util.List<String> downstreamPeerUriSans() {
    return connection.verifiedPeer().uriSans();
  }

  @Override
  public String downstreamTlsVersion() {
    return connection.tlsSession() == null ? null : connection.tlsSession().getProtocol();
  }
}
