package weft.proxy.router;

import weft.proxy.observe.Counter;
import weft.proxy.observe.StatsStore;

/** The router's {@code http.<stat_prefix>.*} counters. */
final class RouterStats {
  final Counter noRoute;
  final Counter noCluster;
  final Counter rqRedirect;
  final Counter rqDirectResponse;
  final Counter rqTotal;
  final Counter rqResetAfterResponseStarted;

  RouterStats(StatsStore store, String statPrefix) {
    String p = "http." + statPrefix + ".";
    noRoute = store.counter(p + "no_route");
    noCluster = store.counter(p + "no_cluster");
    rqRedirect = store.counter(p + "rq_redirect");
    rqDirectResponse = store.counter(p + "rq_direct_response");
    rqTotal = store.counter(p + "rq_total");
    rqResetAfterResponseStarted = store.counter(p + "rq_reset_after_downstream_response_started");
  }
}
