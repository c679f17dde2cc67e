package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Envoy's default tag extraction (source/common/config/well_known_names.cc). */
class StatTagsTest {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # name                                                | tag-extracted name              | tags
          cluster.backend.upstream_rq_total                    | cluster.upstream_rq_total       | envoy.cluster_name=backend
          cluster.service1-envoy.upstream_rq_200               | cluster.upstream_rq             | envoy.response_code=200;envoy.cluster_name=service1-envoy
          cluster.backend.upstream_rq_5xx                      | cluster.upstream_rq_xx          | envoy.response_code_class=5;envoy.cluster_name=backend
          http.ingress_http.downstream_rq_2xx                  | http.downstream_rq_xx           | envoy.response_code_class=2;envoy.http_conn_manager_prefix=ingress_http
          http.ingress_http.downstream_rq_total                | http.downstream_rq_total        | envoy.http_conn_manager_prefix=ingress_http
          http.ingress_http.rbac.allowed                       | http.rbac.allowed               | envoy.http_conn_manager_prefix=ingress_http
          http.ingress_http.rbac.policy.deny-all.denied        | http.rbac.policy.denied         | envoy.http_conn_manager_prefix=ingress_http;envoy.rbac_policy_name=deny-all
          http.ingress_http.fault.aborts_injected              | http.fault.aborts_injected      | envoy.http_conn_manager_prefix=ingress_http
          http.ingress_http.fault.downstream-a.delays_injected | http.fault.delays_injected      | envoy.fault_downstream_cluster=downstream-a;envoy.http_conn_manager_prefix=ingress_http
          listener.0.0.0.0_10000.downstream_cx_total           | listener.downstream_cx_total    | envoy.listener_address=0.0.0.0_10000
          listener.[__1]_8080.downstream_cx_active             | listener.downstream_cx_active   | envoy.listener_address=[__1]_8080
          listener.admin.downstream_cx_total                   | listener.admin.downstream_cx_total |
          listener.0.0.0.0_80.http.ingress.downstream_rq_3xx   | listener.http.downstream_rq_xx  | envoy.response_code_class=3;envoy.http_conn_manager_prefix=ingress;envoy.listener_address=0.0.0.0_80
          listener_manager.worker_0.dispatcher.loop_duration_us | listener_manager.worker_dispatcher.loop_duration_us | envoy.worker_id=0
          tcp.ingress_tcp.downstream_cx_total                  | tcp.downstream_cx_total         | envoy.tcp_prefix=ingress_tcp
          vhost.backend.vcluster.other.upstream_rq_200         | vhost.vcluster.upstream_rq      | envoy.response_code=200;envoy.virtual_cluster=other;envoy.virtual_host=backend
          server.state                                         | server.state                    |
          listener_manager.workers_started                     | listener_manager.workers_started |
          """)
  void extractsEnvoysDefaultTags(String name, String extracted, String tags) {
    StatTags.Tagged t = StatTags.extract(name);
    assertThat(t.name()).isEqualTo(extracted);
    List<String> want = tags == null ? List.of() : List.of(tags.split(";"));
    List<String> got = new ArrayList<>();
    for (StatTags.Tag tag : t.tags()) {
      got.add(tag.name() + "=" + tag.value());
    }
    assertThat(got).containsExactlyElementsOf(want);
  }
}
