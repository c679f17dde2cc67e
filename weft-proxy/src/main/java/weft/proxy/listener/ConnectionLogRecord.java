package weft.proxy.listener;

import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.observe.ConnectionAccessLogRecord;

/**
 * One closed downstream connection, for the listener's own {@code access_log} (Envoy logs every
 * connection there when it ends): addresses, timing, TLS facts, response flags and termination
 * details. HTTP and upstream fields are absent; byte counts are not tracked at this level (0).
 */
record ConnectionLogRecord(Channel ch, ConnectionStreamInfo info, long durationMillis)
    implements ConnectionAccessLogRecord {
  @Override
  public long startEpochMillis() {
    return info.startEpochMillis();
  }

  @Override
  public String responseFlags() {
    return info.responseFlags().isEmpty() ? "-" : info.responseFlags();
  }

  @Override
  public String connectionTerminationDetails() {
    return info.connectionTerminationDetails();
  }

  @Override
  public long bytesReceived() {
    return 0;
  }

  @Override
  public long bytesSent() {
    return 0;
  }

  @Override
  public InetSocketAddress upstreamHost() {
    return null;
  }

  @Override
  public String upstreamCluster() {
    return null;
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    return ch.remoteAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return ch.localAddress() instanceof InetSocketAddress a ? a : null;
  }

  @Override
  public String requestedServerName() {
    return info.requestedServerName();
  }

  @Override
  public String downstreamPeerUriSan() {
    List<String> sans = info.verifiedPeerUriSans();
    return sans.isEmpty() ? null : sans.get(0);
  }

  @Override
  public List<String> downstreamPeerUriSans() {
    return info.verifiedPeerUriSans();
  }

  @Override
  public String downstreamTlsVersion() {
    return info.tlsVersion();
  }
}
