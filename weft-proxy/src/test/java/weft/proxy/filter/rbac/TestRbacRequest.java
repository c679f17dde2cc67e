package weft.proxy.filter.rbac;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.matcher.HeaderSource;

/** A request for RBAC tests: plaintext GET / from 10.1.2.3:40000 to 127.0.0.1:8080 unless changed. */
record TestRbacRequest(String method, String path, HttpHeaders headers, InetSocketAddress remoteAddress,
    InetSocketAddress directRemoteAddress, InetSocketAddress localAddress, boolean tls,
    List<String> peerUriSans, List<String> peerDnsSans, String peerSubject, String requestedServerName)
    implements RbacRequest {

  static TestRbacRequest get(String path) {
    InetSocketAddress client = new InetSocketAddress("10.1.2.3", 40000);
    return new TestRbacRequest("GET", path, new DefaultHttpHeaders(), client, client,
        new InetSocketAddress("127.0.0.1", 8080), false, List.of(), List.of(), "", "");
  }

  @Override
  public String header(String name) {
    if (path == null) {
      return null; // an L4 check has no headers
    }
    return HeaderSource.resolve(name, method, "svc.test", path, tls ? "https" : "http", headers);
  }

  TestRbacRequest header(String name, String value) {
    headers.add(name, value);
    return this;
  }

  TestRbacRequest method(String m) {
    return new TestRbacRequest(m, path, headers, remoteAddress, directRemoteAddress, localAddress, tls,
        peerUriSans, peerDnsSans, peerSubject, requestedServerName);
  }

  TestRbacRequest from(String ip) {
    InetSocketAddress a = new InetSocketAddress(ip, 40000);
    return new TestRbacRequest(method, path, headers, a, a, localAddress, tls, peerUriSans, peerDnsSans,
        peerSubject, requestedServerName);
  }

  TestRbacRequest to(String ip, int port) {
    return new TestRbacRequest(method, path, headers, remoteAddress, directRemoteAddress,
        new InetSocketAddress(ip, port), tls, peerUriSans, peerDnsSans, peerSubject, requestedServerName);
  }

  TestRbacRequest peer(List<String> uris, List<String> dns, String subject) {
    return new TestRbacRequest(method, path, headers, remoteAddress, directRemoteAddress, localAddress, true,
        uris, dns, subject, requestedServerName);
  }

  TestRbacRequest sni(String name) {
    return new TestRbacRequest(method, path, headers, remoteAddress, directRemoteAddress, localAddress, tls,
        peerUriSans, peerDnsSans, peerSubject, name);
  }

  /** The same connection seen by the network filter: no path, no headers. */
  TestRbacRequest l4() {
    return new TestRbacRequest(method, null, headers, remoteAddress, directRemoteAddress, localAddress, tls,
        peerUriSans, peerDnsSans, peerSubject, requestedServerName);
  }
}
