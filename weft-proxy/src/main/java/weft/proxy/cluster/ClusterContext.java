package weft.proxy.cluster;

import io.netty.channel.EventLoopGroup;
import java.util.Objects;
import weft.proxy.observe.StatsStore;

/**
 * What clusters need from the proxy: the worker event loops (health checks, timers and membership
 * updates run there), the stats store, a clock, and the factory for upstream transport sockets
 * (TLS belongs to {@code weft.proxy.tls}; this package only calls the interface).
 */
public record ClusterContext(
    EventLoopGroup workers, StatsStore stats, Ticker ticker, UpstreamTransportFactory transports) {
  public ClusterContext {
    Objects.requireNonNull(workers, "workers");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(ticker, "ticker");
    Objects.requireNonNull(transports, "transports");
  }

  /** A context with the system clock. */
  public static ClusterContext of(
      EventLoopGroup workers, StatsStore stats, UpstreamTransportFactory transports) {
    return new ClusterContext(workers, stats, Ticker.system(), transports);
  }
}
