package weft.proxy.listener;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/** A filter chain's transport socket (TLS): makes the handler placed before its filters. */
public interface DownstreamTransport {
  ChannelHandler newHandler(ByteBufAllocator alloc);

  /**
   * Whether the handshake verifies client certificates against trusted CAs: only then may a peer
   * certificate's SANs serve as identity (RBAC principals, access logs).
   */
  boolean verifiesPeer();
}
