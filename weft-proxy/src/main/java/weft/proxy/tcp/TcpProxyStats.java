package weft.proxy.tcp;

import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;
import weft.proxy.observe.StatsStore;

/**
 * A tcp_proxy's stats under Envoy's names, {@code tcp.<stat_prefix>.*} (tcp_proxy_filter.rst),
 * looked up once per compiled filter. Cluster stats ({@code upstream_cx_*}) stay with the cluster.
 */
record TcpProxyStats(
    Counter downstreamCxTotal,
    Counter downstreamCxNoRoute,
    Counter downstreamCxTxBytesTotal,
    Counter downstreamCxRxBytesTotal,
    Counter downstreamFlowControlPausedReadingTotal,
    Counter downstreamFlowControlResumedReadingTotal,
    Counter idleTimeout,
    Counter maxDownstreamConnectionDuration,
    Counter upstreamFlushTotal,
    Gauge upstreamFlushActive) {

  static TcpProxyStats create(StatsStore store, String statPrefix) {
    String p = "tcp." + statPrefix + ".";
    return new TcpProxyStats(
        store.counter(p + "downstream_cx_total"),
        store.counter(p + "downstream_cx_no_route"),
        store.counter(p + "downstream_cx_tx_bytes_total"),
        store.counter(p + "downstream_cx_rx_bytes_total"),
        store.counter(p + "downstream_flow_control_paused_reading_total"),
        store.counter(p + "downstream_flow_control_resumed_reading_total"),
        store.counter(p + "idle_timeout"),
        store.counter(p + "max_downstream_connection_duration"),
        store.counter(p + "upstream_flush_total"),
        store.gauge(p + "upstream_flush_active"));
  }
}
