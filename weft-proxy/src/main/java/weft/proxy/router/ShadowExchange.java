package weft.proxy.router;

import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import weft.proxy.cluster.Host;
import weft.proxy.upstream.UpstreamFailure;
import weft.proxy.upstream.UpstreamListener;
import weft.proxy.upstream.UpstreamStream;

/**
 * A fire-and-forget copy of the request to a mirror cluster (request_mirror_policies): its
 * response is discarded and its failures never affect the main request.
 */
final class ShadowExchange implements UpstreamListener {
  private final RouterConfig cfg;
  private final UpstreamTargets.Target target;
  private final EventLoop loop;
  private final HttpRequest head;
  private final boolean headerOnly;
  private final List<HttpContent> queued = new ArrayList<>();
  private UpstreamStream stream;
  private Host host;
  private boolean dead;

  ShadowExchange(RouterConfig cfg, UpstreamTargets.Target target, EventLoop loop, HttpRequest head,
      boolean headerOnly) {
    this.cfg = cfg;
    this.target = target;
    this.loop = loop;
    this.head = head;
    this.headerOnly = headerOnly;
  }

  void start() {
    host = target.cluster().choose(weft.proxy.cluster.LbContext.NONE);
    if (host == null) {
      dead = true;
      return;
    }
    target.cluster().stats().upstreamRqTotal().inc();
    host.requestStarted();
    cfg.pools.newStream(loop, target.cluster().name(), host.address(),
        host.hostname() == null || host.hostname().isEmpty()
            ? host.address().getHostString() : host.hostname(),
        target.settings(), target.eventsFor(host), this);
  }

  void data(HttpContent c) {
    if (dead) {
      c.release();
    } else if (stream != null) {
      stream.write(c);
    } else {
      queued.add(c);
    }
  }

  @Override
  public void onReady(UpstreamStream s) {
    stream = s;
    if (headerOnly) {
      s.write(new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
          Unpooled.EMPTY_BUFFER, head.headers(), io.netty.handler.codec.http.EmptyHttpHeaders.INSTANCE));
      return;
    }
    if (!head.headers().contains(HttpHeaderNames.CONTENT_LENGTH)) {
      head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    }
    s.write(head);
    for (HttpContent c : queued) {
      s.write(c);
    }
    queued.clear();
  }

  @Override
  public void onResponseHeaders(HttpResponse response) {
    target.cluster().stats().recordResponse(response.status().code(), 0);
    ReferenceCountUtil.release(response);
  }

  @Override
  public void onResponseData(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    content.release();
    if (last) {
      host.requestFinished(true);
    }
  }

  @Override
  public void onFailure(UpstreamFailure failure, String detail) {
    dead = true;
    queued.forEach(ReferenceCountUtil::release);
    queued.clear();
    if (host != null) {
      host.requestFinished(false);
    }
  }
}
