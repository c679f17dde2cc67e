package weft.proxy.listener;

import io.netty.channel.Channel;

/**
 * Picks a connection's filter chain once the listener filters have seen its first bytes
 * (SNI, ALPN, transport protocol). Returns the index into the listener's chains, or -1 for none.
 */
@FunctionalInterface
public interface ChainSelector {
  int select(Channel channel);

  /** The listener has exactly one chain, with no match criteria. */
  ChainSelector ONLY = ch -> 0;
}
