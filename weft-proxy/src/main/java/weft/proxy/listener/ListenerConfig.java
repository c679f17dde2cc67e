package weft.proxy.listener;

import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * A compiled listener: where to bind, its connection limit (-1: none), optional listener filter
 * (tls_inspector), its filter chains and how to choose between them, and its own access log
 * ({@link weft.proxy.observe.AccessLogger#NONE} without one). Immutable.
 */
public record ListenerConfig(
    String name,
    InetSocketAddress address,
    String statName,
    long connectionLimit,
    Supplier<ChannelHandler> listenerFilter,
    List<FilterChainConfig> chains,
    ChainSelector selector,
    weft.proxy.observe.AccessLogger accessLog) {
  public ListenerConfig {
    chains = List.copyOf(chains);
  }

  /** A listener without access logs. */
  public ListenerConfig(String name, InetSocketAddress address, String statName,
      long connectionLimit, Supplier<ChannelHandler> listenerFilter, List<FilterChainConfig> chains,
      ChainSelector selector) {
    this(name, address, statName, connectionLimit, listenerFilter, chains, selector,
        weft.proxy.observe.AccessLogger.NONE);
  }

  /** Envoy's stat name for a listener address: {@code 127.0.0.1_10000}, {@code [::1]_80}. */
  public static String statName(InetSocketAddress a) {
    String host = a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return host + "_" + a.getPort();
  }
}
