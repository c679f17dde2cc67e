package weft.proxy.observe;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;

/** A finished request with every field settable, for format tests. */
final class FakeRecord implements AccessLogRecord {
  long start = 1_460_751_420_310L; // 2016-04-15T20:17:00.310Z, Envoy's docs example
  long duration = 12;
  String protocol = "HTTP/1.1";
  String method = "GET";
  String path = "/service/1?x=1";
  String authority = "example.com";
  HttpHeaders req = new DefaultHttpHeaders();
  HttpHeaders resp = new DefaultHttpHeaders();
  int code = 200;
  String flags = null;
  long received = 0;
  long sent = 42;
  InetSocketAddress upstreamHost = new InetSocketAddress("127.0.0.1", 8080);
  String originalPath = null;
  String cluster = "backend";
  InetSocketAddress remote = new InetSocketAddress("10.0.0.7", 51234);
  InetSocketAddress local = new InetSocketAddress("0:0:0:0:0:0:0:1", 10000);
  String details = "via_upstream";
  String sni = null;

  @Override
  public long startEpochMillis() {
    return start;
  }

  @Override
  public long durationMillis() {
    return duration;
  }

  @Override
  public String protocol() {
    return protocol;
  }

  @Override
  public String requestMethod() {
    return method;
  }

  @Override
  public String requestPath() {
    return path;
  }

  @Override
  public String originalPath() {
    return originalPath;
  }

  @Override
  public String authority() {
    return authority;
  }

  @Override
  public HttpHeaders requestHeaders() {
    return req;
  }

  @Override
  public HttpHeaders responseHeaders() {
    return resp;
  }

  @Override
  public int responseCode() {
    return code;
  }

  @Override
  public String responseFlags() {
    return flags;
  }

  @Override
  public String responseCodeDetails() {
    return details;
  }

  @Override
  public long bytesReceived() {
    return received;
  }

  @Override
  public long bytesSent() {
    return sent;
  }

  @Override
  public InetSocketAddress upstreamHost() {
    return upstreamHost;
  }

  @Override
  public String upstreamCluster() {
    return cluster;
  }

  @Override
  public InetSocketAddress downstreamRemoteAddress() {
    return remote;
  }

  @Override
  public InetSocketAddress downstreamLocalAddress() {
    return local;
  }

  @Override
  public String requestedServerName() {
    return sni;
  }
}
