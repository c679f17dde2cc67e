package weft.proxy.listener;

import io.netty.channel.Channel;

/**
 * A compiled network filter ({@code envoy.filters.network.*}): adds its handlers to a new
 * downstream connection's pipeline, in filter order. Immutable and shared by connections.
 */
@FunctionalInterface
public interface NetworkFilterFactory {
  /** Called on the connection's event loop when its filter chain has been selected. */
  void install(Channel channel);
}
