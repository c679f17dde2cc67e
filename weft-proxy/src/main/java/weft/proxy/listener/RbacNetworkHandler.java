package weft.proxy.listener;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.filter.rbac.RbacFilterConfig;
import weft.proxy.filter.rbac.RbacRequest;
import weft.proxy.tls.PeerIdentity;

/**
 * {@code envoy.filters.network.rbac} with enforcement_type ONE_TIME_ON_FIRST_BYTE: on the first
 * bytes (after the TLS handshake, so the peer identity is verified) the connection is checked
 * once; a denial closes it, an allow removes this handler.
 */
public final class RbacNetworkHandler extends ChannelInboundHandlerAdapter {
  private final RbacFilterConfig cfg;

  public RbacNetworkHandler(RbacFilterConfig cfg) {
    this.cfg = cfg;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    var check = cfg.check(new View(ctx));
    if (!check.allowed()) {
      ReferenceCountUtil.release(msg);
      // Envoy's network RBAC filter: the denial's reason, for access logs and flows; no response
      // flag (Envoy has none for RBAC)
      String policy = check.enforced().policy();
      ConnectionStreamInfo.of(ctx.channel()).setConnectionTerminationDetails(
          "rbac_access_denied_matched_policy["
              + (policy == null || policy.isEmpty() ? "none" : policy) + "]");
      ctx.close();
      return;
    }
    ctx.fireChannelRead(msg);
    ctx.pipeline().remove(this);
  }

  private static final class View implements RbacRequest {
    private final InetSocketAddress remote;
    private final InetSocketAddress local;
    private final PeerIdentity peer;
    private final boolean tls;
    private final String sni;

    View(ChannelHandlerContext ctx) {
      remote = (InetSocketAddress) ctx.channel().remoteAddress();
      local = (InetSocketAddress) ctx.channel().localAddress();
      SslHandler ssl = ctx.pipeline().get(SslHandler.class);
      tls = ssl != null;
      peer = ConnectionStreamInfo.of(ctx.channel()).verifiedPeer();
      var detected = ctx.channel().attr(TlsInspector.RESULT).get();
      sni = detected == null ? "" : detected.serverName();
    }

    @Override
    public String header(String lowerCaseName) {
      return null;
    }

    @Override
    public String path() {
      return null;
    }

    @Override
    public InetSocketAddress remoteAddress() {
      return remote;
    }

    @Override
    public InetSocketAddress directRemoteAddress() {
      return remote;
    }

    @Override
    public InetSocketAddress localAddress() {
      return local;
    }

    @Override
    public boolean tls() {
      return tls;
    }

    @Override
    public List<String> peerUriSans() {
      return peer.uriSans();
    }

    @Override
    public List<String> peerDnsSans() {
      return peer.dnsSans();
    }

    @Override
    public String peerSubject() {
      return peer.subject();
    }

    @Override
    public String requestedServerName() {
      return sni;
    }
  }
}
