package weft.proxy.listener;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/** A filter chain's transport socket (TLS): makes the handler placed before its filters. */
@FunctionalInterface
public interface DownstreamTransport {
  ChannelHandler newHandler(ByteBufAllocator alloc);
}
