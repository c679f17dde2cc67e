package weft.proxy.cluster;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.List;

/** The Netty handlers that perform one health check on one connection and report its outcome. */
final class HealthProbes {
  private HealthProbes() {}

  /** Where a probe reports; {@code gen} identifies the check so late events are ignored. */
  interface Outcome {
    void finish(int gen, boolean ok, boolean network);
  }

  /** Sends GET path and judges the response status; the body is not read. */
  static final class HttpProbe extends ChannelInboundHandlerAdapter {
    private final Outcome session;
    private final int gen;
    private final HealthCheckSpec.Http http;
    private final String host;

    /** {@code host}: the endpoint's own Host header for checks, empty for the cluster's. */
    HttpProbe(Outcome session, int gen, HealthCheckSpec.Http http, String host) {
      this.session = session;
      this.gen = gen;
      this.http = http;
      this.host = host;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.pipeline().addBefore(ctx.name(), null, new HttpClientCodec());
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      DefaultFullHttpRequest rq =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, http.path(), Unpooled.EMPTY_BUFFER);
      rq.headers()
          .set(HttpHeaderNames.HOST, host.isEmpty() ? http.host() : host)
          .set(HttpHeaderNames.USER_AGENT, "Envoy/HC")
          .set(HttpHeaderNames.CONNECTION, "close");
      ctx.writeAndFlush(rq);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (msg instanceof HttpResponse r) {
          session.finish(gen, http.expected(r.status().code()), false);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      session.finish(gen, false, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      session.finish(gen, false, true);
    }
  }

  /** Connect-only, or send a payload and wait for each receive block in order. */
  static final class TcpProbe extends ChannelInboundHandlerAdapter {
    private final Outcome session;
    private final int gen;
    private final HealthCheckSpec.Tcp tcp;
    private final java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();

    TcpProbe(Outcome session, int gen, HealthCheckSpec.Tcp tcp) {
      this.session = session;
      this.gen = gen;
      this.tcp = tcp;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      if (tcp.send().length > 0) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(tcp.send()));
      }
      if (tcp.receive().isEmpty()) {
        session.finish(gen, true, false);
      }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      try {
        byte[] chunk = new byte[b.readableBytes()];
        b.readBytes(chunk);
        received.writeBytes(chunk);
      } finally {
        b.release();
      }
      if (matches(received.toByteArray(), tcp.receive())) {
        session.finish(gen, true, false);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      session.finish(gen, false, true);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      session.finish(gen, false, true);
    }

    /** Each block occurs after the previous one (Envoy's TCP health check matching). */
    static boolean matches(byte[] data, List<byte[]> blocks) {
      int from = 0;
      for (byte[] block : blocks) {
        int at = indexOf(data, block, from);
        if (at < 0) {
          return false;
        }
        from = at + block.length;
      }
      return true;
    }

    private static int indexOf(byte[] data, byte[] block, int from) {
      outer:
      for (int i = from; i + block.length <= data.length; i++) {
        for (int j = 0; j < block.length; j++) {
          if (data[i + j] != block[j]) {
            continue outer;
          }
        }
        return i;
      }
      return -1;
    }
  }
}
