package weft.proxy.upstream;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandler;
import java.time.Duration;

/**
 * How to connect to one cluster's hosts: protocol, connect timeout, HTTP/2 stream cap, idle
 * timeout, an optional TLS handler factory (null = plaintext) and max_requests_per_connection
 * (0 = unlimited). Immutable, shared by loops.
 */
public record PoolSettings(
    UpstreamProtocol protocol,
    Duration connectTimeout,
    int maxConcurrentStreams,
    Duration idleTimeout,
    TlsFactory tls,
    long maxRequestsPerConnection) {

  /** Makes the TLS handler for a new upstream connection to {@code host:port}. */
  @FunctionalInterface
  public interface TlsFactory {
    ChannelHandler newHandler(ByteBufAllocator alloc, String host, int port);
  }

  public PoolSettings {
    if (maxConcurrentStreams <= 0) {
      maxConcurrentStreams = Integer.MAX_VALUE;
    }
  }

  public static PoolSettings http1(Duration connectTimeout) {
    return new PoolSettings(UpstreamProtocol.HTTP1, connectTimeout, 0, Duration.ofHours(1), null, 0);
  }
}
