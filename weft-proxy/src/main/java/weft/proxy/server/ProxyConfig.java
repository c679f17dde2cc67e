package weft.proxy.server;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.net.InetSocketAddress;
import java.util.List;
import weft.proxy.cluster.ClusterManager;
import weft.proxy.listener.ListenerConfig;

/**
 * A compiled bootstrap: listeners, clusters, admin address and runtime limits. The listeners are
 * immutable; the cluster manager owns live state (health, outlier ejections) and is started and
 * closed with the server.
 */
public record ProxyConfig(
    Bootstrap bootstrap,
    List<ListenerConfig> listeners,
    ClusterManager clusters,
    InetSocketAddress adminAddress,
    RuntimeLayers runtime) {
  public ProxyConfig {
    listeners = List.copyOf(listeners);
  }
}
