package weft.bench.jmh;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.filter.rbac.RbacRequest;
import weft.proxy.route.RouteRequest;

/** A request as the connection manager presents it to routing and RBAC, with typical headers. */
final class BenchRequest implements RouteRequest, RbacRequest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("10.0.0.7", 41234);
  private static final InetSocketAddress LOCAL = new InetSocketAddress("10.0.0.9", 8080);

  private final String method;
  private final String path;
  private final HttpHeaders headers;
  private final List<String> uriSans;

  BenchRequest(String method, String path, String peerSpiffeId) {
    this.method = method;
    this.path = path;
    this.headers = typicalHeaders();
    this.uriSans = peerSpiffeId == null ? List.of() : List.of(peerSpiffeId);
  }

  static HttpHeaders typicalHeaders() {
    HttpHeaders h = new DefaultHttpHeaders(false);
    h.add("host", "reviews.default.svc.cluster.local:9080");
    h.add("user-agent", "curl/8.5.0");
    h.add("accept", "*/*");
    h.add("accept-encoding", "gzip, deflate");
    h.add("x-request-id", "5f2c1d8a-3b44-4e0e-9a61-0c8f2f0b7d11");
    h.add("x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7");
    h.add("x-b3-spanid", "e457b5a2e4d86bd1");
    h.add("x-b3-sampled", "1");
    h.add("x-forwarded-proto", "http");
    h.add("x-tenant", "acme");
    h.add("cookie", "session=abc123; theme=dark");
    return h;
  }

  @Override
  public String method() {
    return method;
  }

  @Override
  public String authority() {
    return "reviews.default.svc.cluster.local:9080";
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public String scheme() {
    return "http";
  }

  @Override
  public HttpHeaders headers() {
    return headers;
  }

  @Override
  public InetSocketAddress downstreamAddress() {
    return CLIENT;
  }

  @Override
  public String header(String lowerCaseName) {
    return RouteRequest.super.header(lowerCaseName);
  }

  @Override
  public InetSocketAddress remoteAddress() {
    return CLIENT;
  }

  @Override
  public InetSocketAddress directRemoteAddress() {
    return CLIENT;
  }

  @Override
  public InetSocketAddress localAddress() {
    return LOCAL;
  }

  @Override
  public boolean tls() {
    return !uriSans.isEmpty();
  }

  @Override
  public List<String> peerUriSans() {
    return uriSans;
  }

  @Override
  public List<String> peerDnsSans() {
    return List.of();
  }

  @Override
  public String peerSubject() {
    return "";
  }

  @Override
  public String requestedServerName() {
    return "";
  }
}
