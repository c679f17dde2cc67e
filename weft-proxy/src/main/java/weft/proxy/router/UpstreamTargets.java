package weft.proxy.router;

import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.cluster.UpstreamCluster;
import weft.proxy.upstream.ConnectionEvents;
import weft.proxy.upstream.PoolSettings;
import weft.proxy.upstream.UpstreamProtocol;

/**
 * Per cluster, what the pools need: protocol, timeouts, TLS and the connection stats hooks.
 * Built once per config; read-only afterwards.
 */
public final class UpstreamTargets {
  /** One cluster, ready for the router. */
  record Target(UpstreamCluster cluster, PoolSettings settings,
      java.util.concurrent.ConcurrentHashMap<weft.proxy.cluster.Host, ConnectionEvents> events) {
    /** The stats hooks for connections to {@code host}; made once per host. */
    ConnectionEvents eventsFor(weft.proxy.cluster.Host host) {
      ConnectionEvents e = events.get(host);
      return e != null ? e : events.computeIfAbsent(host, h -> UpstreamTargets.events(cluster, h));
    }
  }

  private final Map<String, Target> targets = new HashMap<>();

  public UpstreamTargets(ClusterManager clusters) {
    for (UpstreamCluster c : clusters.clusters()) {
      var proto = c.protocol();
      var tls = c.transport();
      PoolSettings s = new PoolSettings(
          proto.version() == weft.proxy.cluster.UpstreamProtocol.Version.HTTP2
              ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1,
          c.connectTimeout(),
          proto.maxConcurrentStreams(),
          proto.idleTimeout(),
          tls == null ? null : tls::newHandler);
      targets.put(c.name(), new Target(c, s, new java.util.concurrent.ConcurrentHashMap<>()));
    }
  }

  Target get(String cluster) {
    return targets.get(cluster);
  }

  static ConnectionEvents events(UpstreamCluster c, weft.proxy.cluster.Host host) {
    var stats = c.stats();
    return new ConnectionEvents() {
      @Override
      public boolean tryAcquireConnection() {
        // a refusal is counted as upstream_cx_overflow by the breaker
        return c.circuitBreakers().tryAcquireConnection();
      }

      @Override
      public void releaseConnection() {
        c.circuitBreakers().releaseConnection();
      }

      @Override
      public boolean tryAcquirePending() {
        if (c.circuitBreakers().tryAcquirePendingRequest()) {
          stats.upstreamRqPendingTotal().inc();
          stats.upstreamRqPendingActive().inc();
          return true;
        }
        return false; // counted as upstream_rq_pending_overflow by the breaker
      }

      @Override
      public void releasePending() {
        c.circuitBreakers().releasePendingRequest();
        stats.upstreamRqPendingActive().dec();
      }

      @Override
      public void connecting() {
        stats.upstreamCxTotal().inc();
      }

      @Override
      public void connectFailed() {
        stats.upstreamCxConnectFail().inc();
        host.connectFailed();
      }

      @Override
      public void connected(Channel ch) {
        stats.upstreamCxActive().inc();
        host.connectionOpened();
        ch.closeFuture().addListener(f -> {
          stats.upstreamCxActive().dec();
          host.connectionClosed();
        });
      }
    };
  }
}
