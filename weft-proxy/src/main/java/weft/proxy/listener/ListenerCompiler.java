package weft.proxy.listener;

import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.listener.v3.ListenerFilter;
import io.netty.channel.ChannelHandler;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;
import weft.proxy.config.SupportedFields;
import weft.proxy.observe.AccessLogger;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;

/** Translates a {@code Listener} into a {@link ListenerConfig}. */
public final class ListenerCompiler {
  private ListenerCompiler() {}

  /** What a listener needs from the rest of the proxy: filters, TLS and chain matching. */
  public interface Extensions {
    /** One network filter of a chain; null after recording a problem. */
    NetworkFilterFactory networkFilter(Filter f, boolean last, ConfigPath path, ConfigProblems problems);

    /** A chain's transport socket; null for raw_buffer or after recording a problem. */
    DownstreamTransport transport(TransportSocket ts, ConfigPath path, ConfigProblems problems);

    /** A listener filter (tls_inspector); null after recording a problem. */
    Supplier<ChannelHandler> listenerFilter(ListenerFilter f, long timeoutMillis,
        boolean continueOnTimeout, ConfigPath path, ConfigProblems problems);

    /** Chain selection for listeners with several chains or match criteria. */
    ChainSelector selector(List<FilterChain> chains, FilterChain defaultChain, ConfigPath path,
        ConfigProblems problems);

    /** The listener's own {@code access_log}: one record per connection, when it closes. */
    default AccessLogger listenerAccessLog(List<AccessLog> logs, ConfigPath path,
        ConfigProblems problems) {
      problems.unsupportedField(path);
      return AccessLogger.NONE;
    }
  }

  public static ListenerConfig compile(Listener l, ConfigPath path, ConfigProblems problems,
      Extensions ext, long connectionLimit) {
    SupportedFields.check(l, path, problems, "name", "address", "filter_chains",
        "default_filter_chain", "listener_filters", "stat_prefix", "listener_filters_timeout",
        "continue_on_listener_filters_timeout", "access_log");
    // Envoy's default listener_filters_timeout is 15 s; 0 disables it
    long lfTimeout = l.hasListenerFiltersTimeout()
        ? l.getListenerFiltersTimeout().getSeconds() * 1000 + l.getListenerFiltersTimeout().getNanos() / 1_000_000
        : 15_000;
    InetSocketAddress address = Addresses.socket(l.getAddress(), path.field("address"), problems);
    Supplier<ChannelHandler> listenerFilter = null;
    for (int i = 0; i < l.getListenerFiltersCount(); i++) {
      ConfigPath p = path.field("listener_filters").index(i);
      if (i > 0) {
        problems.add(p, "only one listener filter (tls_inspector) is supported");
        continue;
      }
      listenerFilter = ext.listenerFilter(l.getListenerFilters(i), lfTimeout,
          l.getContinueOnListenerFiltersTimeout(), p, problems);
    }
    List<FilterChain> protos = new ArrayList<>(l.getFilterChainsList());
    List<FilterChainConfig> chains = new ArrayList<>();
    for (int i = 0; i < protos.size(); i++) {
      chains.add(chain(protos.get(i), path.field("filter_chains").index(i), problems, ext));
    }
    FilterChain defaultChain = l.hasDefaultFilterChain() ? l.getDefaultFilterChain() : null;
    if (defaultChain != null) {
      chains.add(chain(defaultChain, path.field("default_filter_chain"), problems, ext));
    }
    if (chains.isEmpty()) {
      problems.add(path.field("filter_chains"), "at least one filter chain is required");
    }
    ChainSelector selector;
    boolean single = protos.size() == 1 && defaultChain == null && !protos.get(0).hasFilterChainMatch();
    if (single || protos.isEmpty() && defaultChain != null) {
      selector = ChainSelector.ONLY;
    } else {
      selector = ext.selector(protos, defaultChain, path, problems);
    }
    String stat = l.getStatPrefix().isEmpty()
        ? (address == null ? "unknown" : ListenerConfig.statName(address)) : l.getStatPrefix();
    AccessLogger accessLog = l.getAccessLogCount() == 0 ? AccessLogger.NONE
        : ext.listenerAccessLog(l.getAccessLogList(), path.field("access_log"), problems);
    return new ListenerConfig(l.getName(), address, stat, connectionLimit, listenerFilter, chains,
        selector, accessLog);
  }

  private static FilterChainConfig chain(FilterChain c, ConfigPath path, ConfigProblems problems,
      Extensions ext) {
    SupportedFields.check(c, path, problems, "filter_chain_match", "filters", "transport_socket", "name");
    DownstreamTransport transport = c.hasTransportSocket()
        ? ext.transport(c.getTransportSocket(), path.field("transport_socket"), problems) : null;
    List<NetworkFilterFactory> filters = new ArrayList<>();
    if (c.getFiltersCount() == 0) {
      problems.add(path.field("filters"), "at least one network filter is required");
    }
    for (int i = 0; i < c.getFiltersCount(); i++) {
      NetworkFilterFactory f = ext.networkFilter(c.getFilters(i), i == c.getFiltersCount() - 1,
          path.field("filters").index(i), problems);
      if (f != null) {
        filters.add(f);
      }
    }
    return new FilterChainConfig(c.getName(), transport, filters);
  }
}
