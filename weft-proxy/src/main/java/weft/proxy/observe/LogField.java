package weft.proxy.observe;

import io.netty.util.NetUtil;
import java.net.InetSocketAddress;

/** The access log commands that take no argument, e.g. {@code %UPSTREAM_HOST%}. */
enum LogField {
  DURATION(true),
  REQUEST_DURATION(true),
  RESPONSE_DURATION(true),
  PROTOCOL(false),
  RESPONSE_CODE(true),
  RESPONSE_FLAGS(false),
  RESPONSE_CODE_DETAILS(false),
  CONNECTION_TERMINATION_DETAILS(false),
  BYTES_RECEIVED(true),
  BYTES_SENT(true),
  UPSTREAM_HOST(false),
  UPSTREAM_REMOTE_ADDRESS(false),
  UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(false),
  UPSTREAM_REMOTE_PORT(true),
  UPSTREAM_CLUSTER(false),
  // Envoy's RAW variant skips alt_stat_name; weft has no alt_stat_name, so both print the name.
  UPSTREAM_CLUSTER_RAW(false),
  UPSTREAM_LOCAL_ADDRESS(false),
  UPSTREAM_TRANSPORT_FAILURE_REASON(false),
  DOWNSTREAM_REMOTE_ADDRESS(false),
  DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT(false),
  DOWNSTREAM_REMOTE_PORT(true),
  // weft sees no PROXY protocol or XFF-derived remote, so "direct" is the socket peer too.
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS(false),
  DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT(false),
  DOWNSTREAM_LOCAL_ADDRESS(false),
  DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT(false),
  DOWNSTREAM_LOCAL_PORT(true),
  REQUESTED_SERVER_NAME(false),
  DOWNSTREAM_PEER_URI_SAN(false),
  ROUTE_NAME(false);

  /** Printed as a JSON number by {@code json_format}. */
  final boolean numeric;

  LogField(boolean numeric) {
    this.numeric = numeric;
  }

  /** Appends the value; returns false, appending nothing, when it is absent. */
  boolean append(AccessLogRecord r, StringBuilder sb) {
    return switch (this) {
      case DURATION -> millis(r.durationMillis(), sb);
      case REQUEST_DURATION -> millis(r.requestDurationMillis(), sb);
      case RESPONSE_DURATION -> millis(r.responseDurationMillis(), sb);
      case PROTOCOL -> text(r.protocol(), sb);
      case RESPONSE_CODE -> {
        sb.append(r.responseCode());
        yield true;
      }
      case RESPONSE_FLAGS -> text(r.responseFlags(), sb);
      case RESPONSE_CODE_DETAILS -> text(r.responseCodeDetails(), sb);
      case CONNECTION_TERMINATION_DETAILS -> text(r.connectionTerminationDetails(), sb);
      case BYTES_RECEIVED -> {
        sb.append(r.bytesReceived());
        yield true;
      }
      case BYTES_SENT -> {
        sb.append(r.bytesSent());
        yield true;
      }
      case UPSTREAM_HOST, UPSTREAM_REMOTE_ADDRESS -> address(r.upstreamHost(), true, sb);
      case UPSTREAM_REMOTE_ADDRESS_WITHOUT_PORT -> address(r.upstreamHost(), false, sb);
      case UPSTREAM_REMOTE_PORT -> port(r.upstreamHost(), sb);
      case UPSTREAM_CLUSTER, UPSTREAM_CLUSTER_RAW -> text(r.upstreamCluster(), sb);
      case UPSTREAM_LOCAL_ADDRESS -> address(r.upstreamLocalAddress(), true, sb);
      case UPSTREAM_TRANSPORT_FAILURE_REASON -> text(r.upstreamTransportFailureReason(), sb);
      case DOWNSTREAM_REMOTE_ADDRESS, DOWNSTREAM_DIRECT_REMOTE_ADDRESS ->
          address(r.downstreamRemoteAddress(), true, sb);
      case DOWNSTREAM_REMOTE_ADDRESS_WITHOUT_PORT, DOWNSTREAM_DIRECT_REMOTE_ADDRESS_WITHOUT_PORT ->
          address(r.downstreamRemoteAddress(), false, sb);
      case DOWNSTREAM_REMOTE_PORT -> port(r.downstreamRemoteAddress(), sb);
      case DOWNSTREAM_LOCAL_ADDRESS -> address(r.downstreamLocalAddress(), true, sb);
      case DOWNSTREAM_LOCAL_ADDRESS_WITHOUT_PORT -> address(r.downstreamLocalAddress(), false, sb);
      case DOWNSTREAM_LOCAL_PORT -> port(r.downstreamLocalAddress(), sb);
      case REQUESTED_SERVER_NAME -> text(r.requestedServerName(), sb);
      case DOWNSTREAM_PEER_URI_SAN -> text(r.downstreamPeerUriSan(), sb);
      case ROUTE_NAME -> text(r.routeName(), sb);
    };
  }

  private static boolean millis(long v, StringBuilder sb) {
    if (v < 0) {
      return false;
    }
    sb.append(v);
    return true;
  }

  static boolean text(CharSequence v, StringBuilder sb) {
    if (v == null || v.isEmpty()) {
      return false;
    }
    sb.append(v);
    return true;
  }

  /** Envoy's address form: {@code 10.0.0.1:80}, {@code [::1]:80}. */
  private static boolean address(InetSocketAddress a, boolean withPort, StringBuilder sb) {
    if (a == null) {
      return false;
    }
    if (a.isUnresolved()) {
      sb.append(a.getHostString());
    } else {
      String ip = NetUtil.toAddressString(a.getAddress());
      boolean v6 = ip.indexOf(':') >= 0;
      if (v6 && withPort) {
        sb.append('[').append(ip).append(']');
      } else {
        sb.append(ip);
      }
    }
    if (withPort) {
      sb.append(':').append(a.getPort());
    }
    return true;
  }

  private static boolean port(InetSocketAddress a, StringBuilder sb) {
    if (a == null) {
      return false;
    }
    sb.append(a.getPort());
    return true;
  }
}
