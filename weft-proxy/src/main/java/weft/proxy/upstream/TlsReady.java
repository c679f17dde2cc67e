package weft.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.handler.ssl.SslHandler;
import java.util.function.Consumer;

/** Runs an action once a new connection's TLS handshake (if any) has completed. */
final class TlsReady {
  private TlsReady() {}

  static void whenReady(Channel ch, Runnable ready, Consumer<String> failed) {
    SslHandler ssl = ch.pipeline().get(SslHandler.class);
    if (ssl == null) {
      ready.run();
      return;
    }
    ssl.handshakeFuture().addListener(f -> {
      if (f.isSuccess()) {
        ready.run();
      } else {
        failed.accept(String.valueOf(f.cause().getMessage()));
        ch.close();
      }
    });
  }
}
