package weft.bench.load;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Connecting and writing keep-alive GETs, shared by the HTTP/1.1 generators. */
final class H1Requests {
  private H1Requests() {}

  static Channel connect(ClientGroup clients, LoadTarget target, ChannelInitializer<Channel> init)
      throws InterruptedException {
    var f = clients.bootstrap(init).connect(target.host(), target.port()).await();
    if (!f.isSuccess()) {
      throw new UncheckedIOException(new IOException("cannot connect to " + target.authority() + ": " + f.cause()));
    }
    return f.channel();
  }

  static void send(Channel ch, LoadTarget target) {
    DefaultFullHttpRequest req =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, target.path(), Unpooled.EMPTY_BUFFER);
    req.headers().set(HttpHeaderNames.HOST, target.authority());
    ch.writeAndFlush(req, ch.voidPromise());
  }
}
