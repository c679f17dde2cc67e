package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Envoy's admin stats formats (docs/root/operations/admin.rst: /stats, /stats/prometheus). */
class StatsExpositionTest {
  private final StatsStore store = new StatsStore();

  @Test
  void textListsCountersAndGaugesSortedThenHistograms() {
    store.counter("http.ingress_http.rbac.denied").inc();
    store.counter("cluster.b.upstream_rq_total").add(2);
    store.gauge("cluster.b.upstream_cx_active").set(3);
    store.histogram("cluster.b.upstream_rq_time");
    assertThat(StatsText.text(store, StatsQuery.ALL))
        .isEqualTo(
            """
            cluster.b.upstream_cx_active: 3
            cluster.b.upstream_rq_total: 2
            http.ingress_http.rbac.denied: 1
            cluster.b.upstream_rq_time: No recorded values
            """);
  }

  @Test
  void histogramsPrintEnvoysQuantileList() {
    Histogram h = store.histogram("cluster.b.upstream_rq_time");
    for (int i = 1; i <= 100; i++) {
      h.recordMillis(i);
    }
    assertThat(StatsText.text(store, StatsQuery.ALL))
        .isEqualTo(
            "cluster.b.upstream_rq_time: P0(nan,1) P25(nan,25) P50(nan,50) P75(nan,75) P90(nan,90)"
                + " P95(nan,95) P99(nan,99) P99.5(nan,100) P99.9(nan,100) P100(nan,100)\n");
  }

  @Test
  void filterIsAnRe2PartialMatchAndUsedOnlySkipsUntouchedStats() {
    store.counter("http.ingress_http.rbac.allowed").inc();
    store.counter("http.ingress_http.rbac.denied");
    store.counter("cluster.b.upstream_rq_total").inc();
    store.gauge("server.state").set(0);
    store.gauge("cluster.b.upstream_cx_active");
    assertThat(StatsText.text(store, StatsQuery.of("rbac", false)))
        .isEqualTo("http.ingress_http.rbac.allowed: 1\nhttp.ingress_http.rbac.denied: 0\n");
    assertThat(StatsText.text(store, StatsQuery.of("", true)))
        .isEqualTo(
            "cluster.b.upstream_rq_total: 1\nhttp.ingress_http.rbac.allowed: 1\nserver.state: 0\n");
    assertThat(StatsText.text(store, StatsQuery.of("^server\\.st", false)))
        .isEqualTo("server.state: 0\n");
  }

  @Test
  void invalidFilterRegexIsRefusedWithItsText() {
    assertThatThrownBy(() -> StatsQuery.of("rbac(", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rbac(");
  }

  @Test
  void jsonFormatHasEnvoysShape() {
    store.counter("a.b").add(5);
    store.histogram("c.d").recordMillis(7);
    assertThat(StatsText.json(store, StatsQuery.ALL))
        .startsWith("{\"stats\":[{\"name\":\"a.b\",\"value\":5},{\"histograms\":")
        .contains("\"supported_quantiles\":[0,25,50,75,90,95,99,99.5,99.9,100]")
        .contains("{\"name\":\"c.d\",\"values\":[{\"interval\":null,\"cumulative\":7}");
  }

  @Test
  void prometheusGroupsTaggedSeriesUnderOneTypeLine() {
    store.counter("cluster.backend.upstream_rq_total").add(4);
    store.counter("cluster.other.upstream_rq_total").add(1);
    store.counter("http.ingress_http.downstream_rq_2xx").add(3);
    store.gauge("server.state").set(0);
    assertThat(PrometheusText.render(store, StatsQuery.ALL))
        .isEqualTo(
            """
            # TYPE envoy_cluster_upstream_rq_total counter
            envoy_cluster_upstream_rq_total{envoy_cluster_name="backend"} 4
            envoy_cluster_upstream_rq_total{envoy_cluster_name="other"} 1
            # TYPE envoy_http_downstream_rq_xx counter
            envoy_http_downstream_rq_xx{envoy_response_code_class="2",envoy_http_conn_manager_prefix="ingress_http"} 3
            # TYPE envoy_server_state gauge
            envoy_server_state 0
            """);
  }

  @Test
  void prometheusHistogramsUseEnvoysDefaultBuckets() {
    Histogram h = store.histogram("cluster.backend.upstream_rq_time");
    h.recordMillis(0);
    h.recordMillis(3);
    h.recordMillis(3);
    h.recordMillis(70_000);
    String out = PrometheusText.render(store, StatsQuery.ALL);
    String series = "envoy_cluster_upstream_rq_time_bucket{envoy_cluster_name=\"backend\",le=";
    assertThat(out)
        .startsWith("# TYPE envoy_cluster_upstream_rq_time histogram\n")
        .contains(series + "\"0.5\"} 1\n")
        .contains(series + "\"1\"} 1\n")
        .contains(series + "\"5\"} 3\n")
        .contains(series + "\"60000\"} 3\n")
        .contains(series + "\"300000\"} 4\n")
        .contains(series + "\"3600000\"} 4\n")
        .contains(series + "\"+Inf\"} 4\n")
        .contains("envoy_cluster_upstream_rq_time_sum{envoy_cluster_name=\"backend\"} 70006\n")
        .contains("envoy_cluster_upstream_rq_time_count{envoy_cluster_name=\"backend\"} 4\n");
    assertThat(out.lines().filter(l -> l.contains("_bucket{"))).hasSize(20);
  }

  @Test
  void prometheusNamesAreSanitisedAndLabelValuesEscaped() {
    store.counter("cluster.a\"b.upstream_rq_total").inc();
    store.counter("weird-name.x").inc();
    assertThat(PrometheusText.render(store, StatsQuery.ALL))
        .contains("envoy_cluster_upstream_rq_total{envoy_cluster_name=\"a\\\"b\"} 1\n")
        .contains("# TYPE envoy_weird_name_x counter\nenvoy_weird_name_x 1\n");
  }
}
