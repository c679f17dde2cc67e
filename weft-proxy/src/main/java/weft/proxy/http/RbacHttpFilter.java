package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.filter.rbac.RbacFilterConfig;
import weft.proxy.filter.rbac.RbacRequest;
import weft.proxy.matcher.HeaderSource;
import weft.proxy.tls.PeerIdentity;

/**
 * {@code envoy.filters.http.rbac}: evaluates the request against the compiled RBAC rules and
 * answers 403 {@code RBAC: access denied} on a denial (Envoy's rbac_filter).
 */
public final class RbacHttpFilter implements HttpFilter {
  private final RbacFilterConfig cfg;
  private final FilterCallbacks cb;

  private RbacHttpFilter(RbacFilterConfig cfg, FilterCallbacks cb) {
    this.cfg = cfg;
    this.cb = cb;
  }

  public static HttpFilterFactory factory(RbacFilterConfig cfg) {
    return cb -> new RbacHttpFilter(cfg, cb);
  }

  @Override
  public Status onRequestHeaders(HttpRequest request, boolean endStream) {
    var check = cfg.check(new View(request, cb.info()));
    if (check.allowed()) {
      return Status.CONTINUE;
    }
    String policy = check.enforced().policy();
    cb.info().addResponseFlag("RBAC");
    cb.sendLocalReply(403, RbacFilterConfig.DENIED_BODY, null,
        "rbac_access_denied_matched_policy[" + (policy == null || policy.isEmpty() ? "none" : policy) + "]");
    return Status.STOP;
  }

  /** The request as RBAC reads it; identity only from the verified peer certificate. */
  static final class View implements RbacRequest {
    private final HttpRequest req;
    private final StreamInfo info;
    private PeerIdentity peer;

    View(HttpRequest req, StreamInfo info) {
      this.req = req;
      this.info = info;
    }

    @Override
    public String header(String lowerCaseName) {
      return HeaderSource.resolve(lowerCaseName, req.method().name(),
          req.headers().get(HttpHeaderNames.HOST), req.uri(), info.connection.scheme(), req.headers());
    }

    @Override
    public String path() {
      return req.uri();
    }

    @Override
    public InetSocketAddress remoteAddress() {
      String trusted = info.trustedClientAddress();
      InetSocketAddress direct = info.connection.remoteAddress();
      if (trusted == null || trusted.equals(direct.getAddress().getHostAddress())) {
        return direct;
      }
      byte[] ip = io.netty.util.NetUtil.createByteArrayFromIpAddressString(trusted);
      if (ip == null) {
        return direct;
      }
      try {
        return new InetSocketAddress(java.net.InetAddress.getByAddress(ip), 0);
      } catch (java.net.UnknownHostException e) {
        return direct;
      }
    }

    @Override
    public InetSocketAddress directRemoteAddress() {
      return info.connection.remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
      return info.connection.localAddress();
    }

    @Override
    public boolean tls() {
      return info.connection.isTls();
    }

    private PeerIdentity peer() {
      if (peer == null) {
        peer = info.connection.verifiedPeer();
      }
      return peer;
    }

    @Override
    public List<String> peerUriSans() {
      return peer().uriSans();
    }

    @Override
    public List<String> peerDnsSans() {
      return peer().dnsSans();
    }

    @Override
    public String peerSubject() {
      return peer().subject();
    }

    @Override
    public String requestedServerName() {
      String sni = info.connection.requestedServerName();
      return sni == null ? "" : sni;
    }
  }
}
