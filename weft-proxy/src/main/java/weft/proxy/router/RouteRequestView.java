package weft.proxy.router;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import weft.proxy.http.StreamInfo;
import weft.proxy.route.RouteRequest;

/** A stream's request as route matching sees it; reads the live request head. */
final class RouteRequestView implements RouteRequest {
  private final HttpRequest request;
  private final StreamInfo info;
  private InetSocketAddress client;

  RouteRequestView(HttpRequest request, StreamInfo info) {
    this.request = request;
    this.info = info;
  }

  @Override
  public String method() {
    return request.method().name();
  }

  @Override
  public String authority() {
    return request.headers().get(HttpHeaderNames.HOST, "");
  }

  @Override
  public String path() {
    return request.uri();
  }

  @Override
  public String scheme() {
    String xfp = request.headers().get("x-forwarded-proto");
    return xfp != null ? xfp : info.connection.scheme();
  }

  @Override
  public HttpHeaders headers() {
    return request.headers();
  }

  @Override
  public InetSocketAddress downstreamAddress() {
    if (client == null) {
      String trusted = info.trustedClientAddress();
      InetSocketAddress direct = info.connection.remoteAddress();
      client = trusted == null || trusted.equals(direct.getAddress().getHostAddress())
          ? direct
          : parse(trusted, direct);
    }
    return client;
  }

  private static InetSocketAddress parse(String ip, InetSocketAddress fallback) {
    // only literal addresses: never resolve a client-supplied name
    if (!ip.isEmpty() && (Character.digit(ip.charAt(0), 16) >= 0 || ip.contains(":"))) {
      byte[] bytes = io.netty.util.NetUtil.createByteArrayFromIpAddressString(ip);
      if (bytes == null) {
        return fallback;
      }
      try {
        return new InetSocketAddress(java.net.InetAddress.getByAddress(bytes), 0);
      } catch (java.net.UnknownHostException e) {
        return fallback;
      }
    }
    return fallback;
  }

  @Override
  public InetSocketAddress downstreamDirectAddress() {
    return info.connection.remoteAddress();
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return info.connection.localAddress();
  }
}
