package weft.proxy.observe;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.ConnectionProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;

/**
 * Fills Envoy's gRPC access log entries ({@code envoy.data.accesslog.v3}) from an {@link
 * AccessLogRecord}, the way Envoy's {@code grpc_access_log_utils.cc} and the HTTP/TCP gRPC loggers
 * do. Runs on the event loop that finished the request, so it reads the record once and keeps
 * nothing of it.
 *
 * <p>weft's {@code RBAC} response flag has no {@code ResponseFlags} field (Envoy sets no flag for
 * RBAC denials; {@code unauthorized_details} is ext_authz's {@code UAEX}): a denial shows in {@code
 * response_code_details} (HTTP) or {@code connection_termination_details} (network RBAC) as {@code
 * rbac_access_denied_matched_policy[NAME]}.
 */
final class AccessLogEntries {
  private AccessLogEntries() {}

  /** Header names logged besides the fixed fields (lower-case), per direction. */
  record ExtraHeaders(List<String> request, List<String> response, List<String> trailers) {
    static final ExtraHeaders NONE = new ExtraHeaders(List.of(), List.of(), List.of());

    ExtraHeaders {
      request = List.copyOf(request);
      response = List.copyOf(response);
      trailers = List.copyOf(trailers);
    }
  }

  static HTTPAccessLogEntry http(AccessLogRecord r, ExtraHeaders extra, Map<String, String> tags) {
    HTTPAccessLogEntry.Builder e = HTTPAccessLogEntry.newBuilder()
        .setCommonProperties(common(r, tags));
    HTTPAccessLogEntry.HTTPVersion v = httpVersion(r.protocol());
    if (v != null) {
      e.setProtocolVersion(v);
    }
    e.setRequest(request(r, extra.request()));
    e.setResponse(response(r, extra));
    return e.build();
  }

  static TCPAccessLogEntry tcp(AccessLogRecord r, Map<String, String> tags) {
    return TCPAccessLogEntry.newBuilder()
        .setCommonProperties(common(r, tags))
        .setConnectionProperties(ConnectionProperties.newBuilder()
            .setReceivedBytes(r.bytesReceived())
            .setSentBytes(r.bytesSent()))
        .build();
  }

  static AccessLogCommon common(AccessLogRecord r, Map<String, String> tags) {
    AccessLogCommon.Builder c = AccessLogCommon.newBuilder();
    InetSocketAddress remote = r.downstreamRemoteAddress();
    if (remote != null) {
      Address a = address(remote);
      // weft takes no PROXY protocol or XFF-derived remote: the direct peer is the remote
      c.setDownstreamRemoteAddress(a).setDownstreamDirectRemoteAddress(a);
    }
    InetSocketAddress local = r.downstreamLocalAddress();
    if (local != null) {
      c.setDownstreamLocalAddress(address(local));
    }
    TLSProperties tls = tls(r);
    if (tls != null) {
      c.setTlsProperties(tls);
    }
    long start = r.startEpochMillis();
    c.setStartTime(Timestamp.newBuilder().setSeconds(Math.floorDiv(start, 1000))
        .setNanos((int) Math.floorMod(start, 1000) * 1_000_000));
    long duration = r.durationMillis();
    if (duration >= 0) {
      Duration d = millis(duration);
      c.setDuration(d).setTimeToLastDownstreamTxByte(d);
    }
    if (r.requestDurationMillis() >= 0) {
      c.setTimeToLastRxByte(millis(r.requestDurationMillis()));
    }
    if (r.responseDurationMillis() >= 0) {
      c.setTimeToFirstUpstreamRxByte(millis(r.responseDurationMillis()));
    }
    InetSocketAddress upstream = r.upstreamHost();
    if (upstream != null) {
      c.setUpstreamRemoteAddress(address(upstream));
    }
    InetSocketAddress upstreamLocal = r.upstreamLocalAddress();
    if (upstreamLocal != null) {
      c.setUpstreamLocalAddress(address(upstreamLocal));
    }
    String upstreamCluster = r.upstreamCluster();
    if (present(upstreamCluster)) {
      c.setUpstreamCluster(upstreamCluster);
    }
    String upstreamTransportFailureReason = r.upstreamTransportFailureReason();
    if (present(upstreamTransportFailureReason)) {
      c.setUpstreamTransportFailureReason(upstreamTransportFailureReason);
    }
    String routeName = r.routeName();
    if (present(routeName)) {
      c.setRouteName(routeName);
    }
    String connectionTerminationDetails = r.connectionTerminationDetails();
    if (present(connectionTerminationDetails)) {
      c.setConnectionTerminationDetails(connectionTerminationDetails);
    }
    ResponseFlags flags = responseFlags(r.responseFlags());
    if (flags != null) {
      c.setResponseFlags(flags);
    }
    if (!tags.isEmpty()) {
      c.putAllCustomTags(tags);
    }
    return c.build();
  }

  private static TLSProperties tls(AccessLogRecord r) {
    String version = r.downstreamTlsVersion();
    String sni = r.requestedServerName();
    List<String> sans = r.downstreamPeerUriSans();
    if (version == null && (sni == null || sni.isEmpty()) && sans.isEmpty()) {
      return null;
    }
    TLSProperties.Builder t = TLSProperties.newBuilder();
    if (version != null) {
      t.setTlsVersion(switch (version) {
        case "TLSv1" -> TLSProperties.TLSVersion.TLSv1;
        case "TLSv1.1" -> TLSProperties.TLSVersion.TLSv1_1;
        case "TLSv1.2" -> TLSProperties.TLSVersion.TLSv1_2;
        case "TLSv1.3" -> TLSProperties.TLSVersion.TLSv1_3;
        default -> TLSProperties.TLSVersion.VERSION_UNSPECIFIED;
      });
    }
    if (sni != null && !sni.isEmpty()) {
      t.setTlsSniHostname(sni);
    }
    if (!sans.isEmpty()) {
      TLSProperties.CertificateProperties.Builder peer = t.getPeerCertificatePropertiesBuilder();
      for (String san : sans) {
        peer.addSubjectAltName(
            TLSProperties.CertificateProperties.SubjectAltName.newBuilder().setUri(san));
      }
    }
    return t.build();
  }

  private static HTTPRequestProperties request(AccessLogRecord r, List<String> extra) {
    HTTPRequestProperties.Builder q = HTTPRequestProperties.newBuilder();
    String method = r.requestMethod();
    if (method != null) {
      q.setRequestMethod(method(method));
    }
    String scheme = r.scheme();
    if (present(scheme)) {
      q.setScheme(scheme);
    }
    String authority = r.authority();
    if (present(authority)) {
      q.setAuthority(authority);
    }
    String path = r.requestPath();
    if (present(path)) {
      q.setPath(path);
    }
    HttpHeaders h = r.requestHeaders();
    String original = h == null ? null : h.get("x-envoy-original-path");
    String originalPath = original != null ? original : r.originalPath();
    if (present(originalPath)) {
      q.setOriginalPath(originalPath);
    }
    if (h != null) {
      String userAgent = h.get("user-agent");
      if (present(userAgent)) {
        q.setUserAgent(userAgent);
      }
      String referer = h.get("referer");
      if (present(referer)) {
        q.setReferer(referer);
      }
      String forwardedFor = h.get("x-forwarded-for");
      if (present(forwardedFor)) {
        q.setForwardedFor(forwardedFor);
      }
      String requestId = h.get("x-request-id");
      if (present(requestId)) {
        q.setRequestId(requestId);
      }
      q.setRequestHeadersBytes(byteSize(h));
      for (String name : extra) {
        String v = h.get(name);
        if (v != null) {
          q.putRequestHeaders(name, v);
        }
      }
    }
    q.setRequestBodyBytes(r.bytesReceived());
    return q.build();
  }

  private static HTTPResponseProperties response(AccessLogRecord r, ExtraHeaders extra) {
    HTTPResponseProperties.Builder p = HTTPResponseProperties.newBuilder();
    if (r.responseCode() > 0) {
      p.setResponseCode(UInt32Value.of(r.responseCode()));
    }
    String responseCodeDetails = r.responseCodeDetails();
    if (present(responseCodeDetails)) {
      p.setResponseCodeDetails(responseCodeDetails);
    }
    HttpHeaders h = r.responseHeaders();
    if (h != null) {
      p.setResponseHeadersBytes(byteSize(h));
      for (String name : extra.response()) {
        String v = h.get(name);
        if (v != null) {
          p.putResponseHeaders(name, v);
        }
      }
    }
    HttpHeaders t = r.responseTrailers();
    if (t != null) {
      for (String name : extra.trailers()) {
        String v = t.get(name);
        if (v != null) {
          p.putResponseTrailers(name, v);
        }
      }
    }
    p.setResponseBodyBytes(r.bytesSent());
    return p.build();
  }

  /** Envoy's {@code HeaderMap::byteSize}: the sum of every name's and value's length. */
  private static long byteSize(HttpHeaders h) {
    long n = 0;
    var it = h.iteratorCharSequence();
    while (it.hasNext()) {
      var e = it.next();
      n += e.getKey().length() + e.getValue().length();
    }
    return n;
  }

  /**
   * Maps weft's short flags ({@code UH,URX}) to Envoy's {@code ResponseFlags} booleans, as Envoy's
   * {@code responseFlagsToAccessLogResponseFlags}; null when no flag maps.
   */
  static ResponseFlags responseFlags(String shortFlags) {
    if (shortFlags == null || shortFlags.isEmpty() || shortFlags.equals("-")) {
      return null;
    }
    ResponseFlags.Builder f = null;
    int from = 0;
    while (from <= shortFlags.length()) {
      int comma = shortFlags.indexOf(',', from);
      int end = comma < 0 ? shortFlags.length() : comma;
      String flag = shortFlags.substring(from, end);
      from = end + 1;
      if (f == null) {
        f = ResponseFlags.newBuilder();
      }
      switch (flag) {
        case "LH" -> f.setFailedLocalHealthcheck(true);
        case "UH" -> f.setNoHealthyUpstream(true);
        case "UT" -> f.setUpstreamRequestTimeout(true);
        case "LR" -> f.setLocalReset(true);
        case "UR" -> f.setUpstreamRemoteReset(true);
        case "UF" -> f.setUpstreamConnectionFailure(true);
        case "UC" -> f.setUpstreamConnectionTermination(true);
        case "UO" -> f.setUpstreamOverflow(true);
        case "NR" -> f.setNoRouteFound(true);
        case "DI" -> f.setDelayInjected(true);
        case "FI" -> f.setFaultInjected(true);
        case "RL" -> f.setRateLimited(true);
        case "UAEX" -> f.setUnauthorizedDetails(ResponseFlags.Unauthorized.newBuilder()
            .setReason(ResponseFlags.Unauthorized.Reason.EXTERNAL_SERVICE));
        case "RLSE" -> f.setRateLimitServiceError(true);
        case "DC" -> f.setDownstreamConnectionTermination(true);
        case "URX" -> f.setUpstreamRetryLimitExceeded(true);
        case "SI" -> f.setStreamIdleTimeout(true);
        case "IH" -> f.setInvalidEnvoyRequestHeaders(true);
        case "DPE" -> f.setDownstreamProtocolError(true);
        case "UMSDR" -> f.setUpstreamMaxStreamDurationReached(true);
        case "RFCF" -> f.setResponseFromCacheFilter(true);
        case "NFCF" -> f.setNoFilterConfigFound(true);
        case "DT" -> f.setDurationTimeout(true);
        case "UPE" -> f.setUpstreamProtocolError(true);
        case "NC" -> f.setNoClusterFound(true);
        case "OM" -> f.setOverloadManager(true);
        case "DF" -> f.setDnsResolutionFailure(true);
        case "DR" -> f.setDownstreamRemoteReset(true);
        default -> {
          // RBAC and anything else without a ResponseFlags field: see the class comment
        }
      }
    }
    ResponseFlags built = f == null ? null : f.build();
    return built == null || built.equals(ResponseFlags.getDefaultInstance()) ? null : built;
  }

  static HTTPAccessLogEntry.HTTPVersion httpVersion(String protocol) {
    if (protocol == null) {
      return null;
    }
    return switch (protocol) {
      case "HTTP/1.0" -> HTTPAccessLogEntry.HTTPVersion.HTTP10;
      case "HTTP/1.1" -> HTTPAccessLogEntry.HTTPVersion.HTTP11;
      case "HTTP/2" -> HTTPAccessLogEntry.HTTPVersion.HTTP2;
      case "HTTP/3" -> HTTPAccessLogEntry.HTTPVersion.HTTP3;
      default -> HTTPAccessLogEntry.HTTPVersion.PROTOCOL_UNSPECIFIED;
    };
  }

  private static RequestMethod method(String m) {
    return switch (m) {
      case "GET" -> RequestMethod.GET;
      case "HEAD" -> RequestMethod.HEAD;
      case "POST" -> RequestMethod.POST;
      case "PUT" -> RequestMethod.PUT;
      case "DELETE" -> RequestMethod.DELETE;
      case "CONNECT" -> RequestMethod.CONNECT;
      case "OPTIONS" -> RequestMethod.OPTIONS;
      case "TRACE" -> RequestMethod.TRACE;
      case "PATCH" -> RequestMethod.PATCH;
      default -> RequestMethod.METHOD_UNSPECIFIED;
    };
  }

  static Address address(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder()
        .setAddress(host).setPortValue(a.getPort())).build();
  }

  private static Duration millis(long ms) {
    return Duration.newBuilder().setSeconds(ms / 1000).setNanos((int) (ms % 1000) * 1_000_000)
        .build();
  }

  /** Envoy leaves a string field unset when the value is absent ("-" is weft's absent flag). */
  private static boolean present(String v) {
    return v != null && !v.isEmpty() && !v.equals("-");
  }
}
