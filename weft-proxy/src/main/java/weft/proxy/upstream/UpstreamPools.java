package weft.proxy.upstream;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import weft.proxy.server.Transport;

/**
 * Every upstream connection pool, partitioned by event loop so that a downstream connection only
 * ever uses connections on its own loop (no locks, no cross-thread hand-off). Within a loop, one
 * pool per (cluster, host address, settings).
 */
public final class UpstreamPools {
  private final Bootstrap base;
  private final ConcurrentHashMap<EventLoop, Map<PoolKey, HostPool>> loops = new ConcurrentHashMap<>();

  /**
   * Looked up on every request: hashes only the cluster name (its hash is cached) and the address,
   * and compares the settings by identity first (every request of a cluster carries the same
   * instance); the generated record methods hashed and compared every settings field each time.
   */
  private record PoolKey(String cluster, InetSocketAddress address, PoolSettings settings) {
    @Override
    public int hashCode() {
      return cluster.hashCode() * 31 + address.hashCode();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof PoolKey k && cluster.equals(k.cluster) && address.equals(k.address)
          && (settings == k.settings || settings.equals(k.settings));
    }
  }

  public UpstreamPools(Transport transport) {
    this(transport, null);
  }

  /**
   * Pools whose connections leave from {@code sourceAddress} (any port), as Envoy's {@code
   * cluster_manager.upstream_bind_config}: a sidecar without traffic interception binds its
   * workload's address so that peers' address-based policy (Cilium/Kubernetes identities as
   * {@code direct_remote_ip}) sees the workload, not the host. Null: the kernel picks.
   */
  public UpstreamPools(Transport transport, java.net.InetAddress sourceAddress) {
    Bootstrap b = new Bootstrap()
        .channel(transport.socketChannel())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.SO_KEEPALIVE, true);
    this.base = sourceAddress == null ? b : b.localAddress(new InetSocketAddress(sourceAddress, 0));
  }

  /**
   * Starts an exchange with {@code address} of {@code cluster} on {@code loop}; must be called on
   * {@code loop}. {@code hostname} is used for TLS SNI when the settings carry TLS; null or empty
   * means the address's host string, formatted only when the pool is made (not per request).
   */
  public HostPool.Cancellable newStream(EventLoop loop, String cluster, InetSocketAddress address,
      String hostname, PoolSettings settings, ConnectionEvents events, UpstreamListener listener) {
    Map<PoolKey, HostPool> pools = loops.computeIfAbsent(loop, l -> new HashMap<>());
    PoolKey key = new PoolKey(cluster, address, settings);
    HostPool pool = pools.get(key);
    if (pool == null) {
      Bootstrap b = base.clone(loop);
      if (hostname == null || hostname.isEmpty()) {
        hostname = address.getHostString();
      }
      pool = settings.protocol() == UpstreamProtocol.HTTP2
          ? new Http2Pool(b, address, hostname, settings, events)
          : new Http1Pool(b, address, hostname, settings, events);
      pools.put(key, pool);
    }
    return pool.newStream(listener);
  }

  /** Closes every pooled connection, each on its own loop. */
  public void close() {
    List<Future<?>> done = new ArrayList<>();
    for (Map.Entry<EventLoop, Map<PoolKey, HostPool>> e : loops.entrySet()) {
      if (!e.getKey().isShuttingDown()) {
        done.add(e.getKey().submit(() -> {
          e.getValue().values().forEach(HostPool::close);
          e.getValue().clear();
        }));
      }
    }
    for (Future<?> f : done) {
      f.awaitUninterruptibly(1000);
    }
  }
}
