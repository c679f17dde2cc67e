package weft.proxy.listener;

import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;
import weft.proxy.observe.StatsStore;

/** {@code listener.<address>.*}, e.g. {@code listener.127.0.0.1_10000.downstream_cx_total}. */
final class ListenerStats {
  final Counter cxTotal;
  final Gauge cxActive;
  final Counter cxDestroy;
  final Counter noFilterChainMatch;
  final Counter cxOverflow;
  final Counter cxOverloadReject;

  ListenerStats(StatsStore store, String statName) {
    String p = "listener." + statName + ".";
    cxTotal = store.counter(p + "downstream_cx_total");
    cxActive = store.gauge(p + "downstream_cx_active");
    cxDestroy = store.counter(p + "downstream_cx_destroy");
    noFilterChainMatch = store.counter(p + "no_filter_chain_match");
    cxOverflow = store.counter(p + "downstream_cx_overflow");
    cxOverloadReject = store.counter(p + "downstream_global_cx_overflow");
  }
}
