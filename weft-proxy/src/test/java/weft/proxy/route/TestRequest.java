package weft.proxy.route;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;

/** A request for route tests: GET http://example.com/ from 10.0.0.1:5555 unless changed. */
record TestRequest(String method, String authority, String path, String scheme, HttpHeaders headers,
    InetSocketAddress downstreamAddress) implements RouteRequest {

  static TestRequest get(String authority, String path) {
    return new TestRequest("GET", authority, path, "http", new DefaultHttpHeaders(),
        new InetSocketAddress("10.0.0.1", 5555));
  }

  static TestRequest get(String path) {
    return get("example.com", path);
  }

  TestRequest header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  TestRequest withScheme(String s) {
    return new TestRequest(method, authority, path, s, headers, downstreamAddress);
  }

  TestRequest withMethod(String m) {
    return new TestRequest(m, authority, path, scheme, headers, downstreamAddress);
  }
}
