package weft.proxy.http;

import weft.proxy.observe.Counter;
import weft.proxy.observe.Gauge;
import weft.proxy.observe.StatsStore;

/** Handles for {@code http.<stat_prefix>.*}, looked up once per compiled connection manager. */
public final class HcmStats {
  final Counter rqTotal;
  final Gauge rqActive;
  final Counter rqCompleted;
  final Counter[] rqXx = new Counter[6];
  final Counter rqHttp1Total;
  final Counter rqHttp2Total;
  final Counter cxTotal;
  final Gauge cxActive;
  final Counter cxHttp1Total;
  final Counter cxHttp2Total;
  final Gauge cxHttp1Active;
  final Gauge cxHttp2Active;
  final Counter cxDestroy;
  final Counter cxProtocolError;
  final Counter rqTimeout;
  final Counter rqIdleTimeout;
  final Counter cxIdleTimeout;
  final Counter rqRxReset;
  final Counter rqTxReset;
  final Counter rqOverloadClose;
  final Counter cxDrainClose;
  final Counter rqWsOnNonWsRoute;
  final Counter cxUpgradesTotal;
  final Gauge cxUpgradesActive;
  final Counter rqHeadersTimeout;

  public HcmStats(StatsStore store, String statPrefix) {
    String p = "http." + statPrefix + ".";
    rqTotal = store.counter(p + "downstream_rq_total");
    rqActive = store.gauge(p + "downstream_rq_active");
    rqCompleted = store.counter(p + "downstream_rq_completed");
    for (int i = 1; i <= 5; i++) {
      rqXx[i] = store.counter(p + "downstream_rq_" + i + "xx");
    }
    rqHttp1Total = store.counter(p + "downstream_rq_http1_total");
    rqHttp2Total = store.counter(p + "downstream_rq_http2_total");
    cxTotal = store.counter(p + "downstream_cx_total");
    cxActive = store.gauge(p + "downstream_cx_active");
    cxHttp1Total = store.counter(p + "downstream_cx_http1_total");
    cxHttp2Total = store.counter(p + "downstream_cx_http2_total");
    cxHttp1Active = store.gauge(p + "downstream_cx_http1_active");
    cxHttp2Active = store.gauge(p + "downstream_cx_http2_active");
    cxDestroy = store.counter(p + "downstream_cx_destroy");
    cxProtocolError = store.counter(p + "downstream_cx_protocol_error");
    rqTimeout = store.counter(p + "downstream_rq_timeout");
    rqIdleTimeout = store.counter(p + "downstream_rq_idle_timeout");
    cxIdleTimeout = store.counter(p + "downstream_cx_idle_timeout");
    rqRxReset = store.counter(p + "downstream_rq_rx_reset");
    rqTxReset = store.counter(p + "downstream_rq_tx_reset");
    rqOverloadClose = store.counter(p + "downstream_rq_overload_close");
    cxDrainClose = store.counter(p + "downstream_cx_drain_close");
    rqWsOnNonWsRoute = store.counter(p + "downstream_rq_ws_on_non_ws_route");
    cxUpgradesTotal = store.counter(p + "downstream_cx_upgrades_total");
    cxUpgradesActive = store.gauge(p + "downstream_cx_upgrades_active");
    rqHeadersTimeout = store.counter(p + "downstream_rq_header_timeout");
  }

  void responseCode(int code) {
    int cls = code / 100;
    if (cls >= 1 && cls <= 5) {
      rqXx[cls].inc();
    }
  }
}
