package weft.proxy.cluster;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;

/**
 * A compiled upstream transport socket (e.g. TLS). The connection pool adds the handler it makes
 * first in each new upstream connection's pipeline. A cluster without a transport socket (raw TCP)
 * has a {@code null} transport.
 */
public interface UpstreamTransport {
  /**
   * A new handler for one upstream connection to {@code peerHost:peerPort} (the host name is used
   * for SNI when the transport config has none). Called on the connection's event loop.
   */
  ChannelHandler newHandler(ByteBufAllocator alloc, String peerHost, int peerPort);
}
