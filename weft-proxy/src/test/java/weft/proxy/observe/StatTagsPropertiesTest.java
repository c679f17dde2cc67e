package weft.proxy.observe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Tag extraction never loses or invents a name segment (well_known_names.cc semantics). */
class StatTagsPropertiesTest {

  @Provide
  Arbitrary<String> names() {
    // Envoy tag values: anything but dots; cluster names in meshes use - _ and digits.
    return Arbitraries.strings().withChars("abcxyz019-_").ofMinLength(1).ofMaxLength(12);
  }

  @Provide
  Arbitrary<String> clusterStats() {
    return Arbitraries.of(
        "upstream_rq_total",
        "upstream_cx_active",
        "upstream_rq_timeout",
        "lb_healthy_panic",
        "health_check.success",
        "outlier_detection.ejections_active",
        "circuit_breakers.default.rq_open");
  }

  @Property(tries = 200)
  void clusterStatsCarryTheClusterNameAsATag(
      @ForAll("names") String cluster, @ForAll("clusterStats") String stat) {
    StatTags.Tagged t = StatTags.extract("cluster." + cluster + "." + stat);
    assertThat(t.name()).isEqualTo("cluster." + stat);
    assertThat(t.tags()).contains(new StatTags.Tag("envoy.cluster_name", cluster));
  }

  @Property(tries = 200)
  void responseCodesSplitIntoATagWhateverThePrefix(
      @ForAll("names") String prefix, @ForAll("codes") int code) {
    StatTags.Tagged t = StatTags.extract("http." + prefix + ".downstream_rq_" + code);
    assertThat(t.name()).isEqualTo("http.downstream_rq");
    assertThat(t.tags())
        .containsExactly(
            new StatTags.Tag("envoy.response_code", Integer.toString(code)),
            new StatTags.Tag("envoy.http_conn_manager_prefix", prefix));
  }

  @Provide
  Arbitrary<Integer> codes() {
    return Arbitraries.integers().between(100, 599);
  }

  @Property(tries = 200)
  void prometheusLabelValuesRoundTripThroughEscaping(@ForAll String value) {
    String labels = PrometheusText.labels(List.of(new StatTags.Tag("envoy.cluster_name", value)));
    assertThat(labels).startsWith("envoy_cluster_name=\"").endsWith("\"");
    String body = labels.substring("envoy_cluster_name=\"".length(), labels.length() - 1);
    assertThat(unescape(body)).isEqualTo(value);
    assertThat(body).doesNotContain("\n");
  }

  private static String unescape(String s) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(n == 'n' ? '\n' : n);
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }
}
