package weft.proxy.upstream;

import io.netty.channel.Channel;

/** Connection lifecycle hooks for cluster stats ({@code upstream_cx_*}); called on the loop. */
public interface ConnectionEvents {
  ConnectionEvents NONE = new ConnectionEvents() {};

  default void connecting() {}

  default void connectFailed() {}

  /** A connection is up; implementations may watch {@code channel.closeFuture()}. */
  default void connected(Channel channel) {}
}
