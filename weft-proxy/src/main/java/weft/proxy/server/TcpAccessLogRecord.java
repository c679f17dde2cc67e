package weft.proxy.server;

import java.net.InetSocketAddress;
import weft.proxy.observe.ConnectionAccessLogRecord;
import weft.proxy.tcp.TcpSession;

/** A finished tcp_proxy connection as an access log record (HTTP fields absent, as Envoy's "-"). */
record TcpAccessLogRecord(TcpSession s) implements ConnectionAccessLogRecord {
  @Override
  public long startEpochMillis() {
    return s.startEpochMillis();
  }

  @Override
  public long durationMillis() {
    return s.durationMillis();
  }

  @Override
  public String responseFlags() {
    return s.responseFlags();
  }

  @Override
  public long bytesReceived() {
    return s.bytesReceived();
  }

  @Override
  public long bytesSent() {
    return s.bytesSent();
  }

  @Override
  public InetSocketAddress upstreamHost() {
    String h = s.upstreamHost();
    int colon = h == null ? -1 : h.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    String ip = h.substring(0, colon).replace("[", "").replace("]", "");
    byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip);
    if (bytes == null) {
      return null;
    }
    try {
      return new InetSocketAddress(java.net.InetAddress.getByAddress(bytes),
          Integer.parseInt(h.substring(colon + 1)));
    } catch (java.net.UnknownHostException | NumberFormatException e) {
      return null;
    }
  }

  @Override
  public String upstreamCluster() {
    return s.cluster();
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    return s.downstreamRemote() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return s.downstreamLocal() instanceof InetSocketAddress a ? a : null;
  }

  private weft.proxy.listener.ConnectionStreamInfo info() {
    return weft.proxy.listener.ConnectionStreamInfo.of(s.downstream());
  }

  @Override
  public String connectionTerminationDetails() {
    return info().connectionTerminationDetails();
  }

  @Override
  public String requestedServerName() {
    return info().requestedServerName();
  }

  @Override
  public String downstreamPeerUriSan() {
    java.util.List<String> sans = info().verifiedPeerUriSans();
    return sans.isEmpty() ? null : sans.get(0);
  }

  @Override
  public java.util.List<String> downstreamPeerUriSans() {
    return info().verifiedPeerUriSans();
  }

  @Override
  public String downstreamTlsVersion() {
    return info().tlsVersion();
  }
}
