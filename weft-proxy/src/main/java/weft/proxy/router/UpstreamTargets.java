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
    this(clusters, null);
  }

  /**
   * For an xDS update: a cluster taken over running from the previous config (unchanged, or
   * changed only in its endpoints) keeps its target, so that its pool settings are the same
   * instance and the pooled connections to its hosts stay in use.
   */
  public UpstreamTargets(ClusterManager clusters, UpstreamTargets previous) {
    for (UpstreamCluster c : clusters.clusters()) {
      Target kept = previous == null ? null : previous.targets.get(c.name());
      if (kept != null && kept.cluster() == c) {
        targets.put(c.name(), kept);
        continue;
      }
      var proto = c.protocol();
      var tls = c.transport();
      if (tls instanceof weft.proxy.tls.UpstreamTls u
          && proto.version() == weft.proxy.cluster.UpstreamProtocol.Version.HTTP2
          && !u.alpnProtocols().contains("h2")) {
        // RFC 9113 §3.2: HTTP/2 over TLS is negotiated with ALPN h2 (Envoy's pool overrides it too)
        tls = u.withApplicationProtocols(java.util.List.of("h2"));
      } else if (tls instanceof weft.proxy.tls.UpstreamTls u
          && proto.version() == weft.proxy.cluster.UpstreamProtocol.Version.HTTP1
          && u.alpnProtocols().contains("h2")) {
        // this pool speaks HTTP/1.1 only: never let the server pick h2
        tls = u.withApplicationProtocols(java.util.List.of("http/1.1"));
      }
      PoolSettings s = new PoolSettings(
          proto.version() == weft.proxy.cluster.UpstreamProtocol.Version.HTTP2
              ? UpstreamProtocol.HTTP2 : UpstreamProtocol.HTTP1,
          c.connectTimeout(),
          proto.maxConcurrentStreams(),
          proto.idleTimeout(),
          tls == null ? null : tls::newHandler,
          proto.maxRequestsPerConnection());
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
