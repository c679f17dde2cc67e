package weft.proxy.tcp;

import java.net.SocketAddress;

/**
 * One finished tcp_proxy connection, for access logs ({@link TcpProxy.SessionObserver}):
 * Envoy's %START_TIME%, %DURATION%, %BYTES_RECEIVED%, %BYTES_SENT%, %UPSTREAM_HOST%,
 * %UPSTREAM_CLUSTER%, %RESPONSE_FLAGS% (NR no cluster, UH no healthy host, UO circuit breaker
 * overflow, UF upstream connection failure, DT max duration reached; "" for none) and the downstream addresses.
 * {@code upstreamHost} is null when no connection was established. {@code downstream} is the closed
 * connection, for what its connection stream info holds (TLS facts, termination details).
 */
public record TcpSession(
    long startEpochMillis,
    long durationMillis,
    long bytesReceived,
    long bytesSent,
    String cluster,
    String upstreamHost,
    String responseFlags,
    SocketAddress downstreamRemote,
    SocketAddress downstreamLocal,
    io.netty.channel.Channel downstream) {}
