package weft.proxy.upstream;

import io.netty.channel.Channel;

/** Connection lifecycle hooks for cluster stats ({@code upstream_cx_*}); called on the loop. */
public interface ConnectionEvents {
  ConnectionEvents NONE = new ConnectionEvents() {};

  default void connecting() {}

  default void connectFailed() {}

  /** A connection is up; implementations may watch {@code channel.closeFuture()}. */
  default void connected(Channel channel) {}

  /**
   * Circuit breaker max_connections: false refuses a new connection (the request fails with
   * {@link UpstreamFailure#OVERFLOW}). A granted slot is released when the connection closes or
   * fails to connect.
   */
  default boolean tryAcquireConnection() {
    return true;
  }

  default void releaseConnection() {}

  /** Circuit breaker max_pending_requests: a request waiting for a new connection. */
  default boolean tryAcquirePending() {
    return true;
  }

  default void releasePending() {}
}
