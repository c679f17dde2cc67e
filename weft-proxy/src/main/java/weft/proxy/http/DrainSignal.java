package weft.proxy.http;

import io.netty.channel.Channel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Graceful shutdown for HTTP connections: once started, new HTTP/1.1 responses carry
 * {@code connection: close}, HTTP/2 connections get GOAWAY, and idle connections close. Each
 * connection's drain action runs on its own event loop.
 */
public final class DrainSignal {
  private volatile boolean draining;
  private final Set<Registration> live = ConcurrentHashMap.newKeySet();

  record Registration(Channel channel, Runnable onDrain) {}

  public boolean draining() {
    return draining;
  }

  /** Starts draining every registered connection (idempotent). */
  public void startDrain() {
    draining = true;
    for (Registration r : live) {
      r.channel().eventLoop().execute(r.onDrain());
    }
  }

  /** Connections still open. */
  public int liveConnections() {
    return live.size();
  }

  void register(Channel ch, Runnable onDrain) {
    Registration r = new Registration(ch, onDrain);
    live.add(r);
    ch.closeFuture().addListener(f -> live.remove(r));
    if (draining) {
      ch.eventLoop().execute(onDrain);
    }
  }
}
