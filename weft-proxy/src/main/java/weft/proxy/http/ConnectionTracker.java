package weft.proxy.http;

import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Per downstream HTTP connection: counts active streams, closes the connection after
 * common_http_protocol_options.idle_timeout without streams, and joins it to the drain signal.
 * Event-loop confined.
 */
final class ConnectionTracker {
  private final HcmConfig cfg;
  private final DrainSignal drain;
  private Channel channel;
  private int active;
  private long idleSinceNanos;
  private ScheduledFuture<?> idleTimer;

  ConnectionTracker(HcmConfig cfg, DrainSignal drain) {
    this.cfg = cfg;
    this.drain = drain;
  }

  void register(Channel ch, Runnable onDrain) {
    this.channel = ch;
    cfg.stats().cxTotal.inc();
    cfg.stats().cxActive.inc();
    ch.closeFuture().addListener(f -> {
      cfg.stats().cxActive.dec();
      cfg.stats().cxDestroy.inc();
      if (idleTimer != null) {
        idleTimer.cancel(false);
      }
    });
    drain.register(ch, onDrain);
    idleSinceNanos = System.nanoTime();
    armIdle(cfg.idleTimeout().toNanos());
  }

  private DownstreamConnection connection;

  /**
   * The connection's addresses and TLS session, read at the first request: by then any TLS
   * handshake has completed, so the peer identity and SNI are known.
   */
  DownstreamConnection connection() {
    if (connection == null) {
      connection = DownstreamConnection.of(channel);
    }
    return connection;
  }

  boolean draining() {
    return drain.draining();
  }

  void streamStarted() {
    active++;
  }

  void streamEnded() {
    active--;
    if (active == 0) {
      idleSinceNanos = System.nanoTime();
      if (closeWhenIdle) {
        channel.close();
      }
    }
  }

  private boolean closeWhenIdle;

  /** Draining HTTP/2: close once the last stream ends (now, if none is active). */
  void closeWhenIdle() {
    closeWhenIdle = true;
    if (active == 0) {
      channel.close();
    }
  }

  private void armIdle(long nanos) {
    if (cfg.idleTimeout().isZero() || nanos <= 0) {
      return;
    }
    idleTimer = channel.eventLoop().schedule(this::checkIdle, nanos, TimeUnit.NANOSECONDS);
  }

  private void checkIdle() {
    long timeout = cfg.idleTimeout().toNanos();
    if (active > 0) {
      armIdle(timeout);
      return;
    }
    long idleFor = System.nanoTime() - idleSinceNanos;
    if (idleFor >= timeout) {
      cfg.stats().cxIdleTimeout.inc();
      channel.close();
    } else {
      armIdle(timeout - idleFor);
    }
  }
}
