package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;
import static weft.proxy.cluster.ClusterFixtures.staticCluster;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.proxy.config.ConfigProblem;

/** cluster.proto load_balancing_policy: the first supported typed policy is used. */
class TypedLbPoliciesTest {
  private static final String T = "type.googleapis.com/envoy.extensions.load_balancing_policies.";

  private static String policies(String... typedConfigs) {
    StringBuilder sb = new StringBuilder("\"load_balancing_policy\":{\"policies\":[");
    for (int i = 0; i < typedConfigs.length; i++) {
      sb.append(i == 0 ? "" : ",")
          .append("{\"typed_extension_config\":{\"name\":\"p")
          .append(i)
          .append("\",\"typed_config\":")
          .append(typedConfigs[i])
          .append("}}");
    }
    return sb.append("]}").toString();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "round_robin.v3.RoundRobin|RoundRobin",
        "least_request.v3.LeastRequest|LeastRequest",
        "random.v3.Random|Random",
        "ring_hash.v3.RingHash|RingHash",
        "maglev.v3.Maglev|Maglev",
      })
  void eachSupportedPolicyIsUsed(String type, String expected) {
    String extra = policies("{\"@type\":\"" + T + type + "\"}");
    try (var b = build(staticCluster("c", "ROUND_ROBIN", extra, 1, 2))) {
      assertThat(b.problems().list()).isEmpty();
      assertThat(b.cluster("c").config().shape().policy().getClass().getSimpleName()).isEqualTo(expected);
    }
  }

  @Test
  void unsupportedPoliciesAreSkippedForTheFirstSupportedOne() {
    String extra =
        policies(
            "{\"@type\":\"" + T + "pick_first.v3.PickFirst\"}",
            "{\"@type\":\"" + T + "least_request.v3.LeastRequest\",\"choice_count\":3,"
                + "\"locality_lb_config\":{\"locality_weighted_lb_config\":{}}}");
    try (var b = build(staticCluster("c", "ROUND_ROBIN", extra, 1, 2))) {
      assertThat(b.problems().list()).isEmpty();
      HostSnapshot.Shape shape = b.cluster("c").config().shape();
      assertThat(shape.policy()).isEqualTo(new LbPolicy.LeastRequest(3, 1.0));
      assertThat(shape.localityWeighted()).isTrue();
    }
  }

  @Test
  void noSupportedPolicyIsAnError() {
    String extra = policies("{\"@type\":\"" + T + "pick_first.v3.PickFirst\"}");
    try (var b = build(staticCluster("c", "ROUND_ROBIN", extra, 1))) {
      assertThat(b.problems().list())
          .map(ConfigProblem::toString)
          .containsExactly(
              "static_resources.clusters[0].load_balancing_policy.policies: none of ["
                  + T + "pick_first.v3.PickFirst] is supported (expected one of round_robin,"
                  + " least_request, random, ring_hash, maglev)");
    }
  }

  @Test
  void unsupportedFieldsOfTheChosenPolicyAreRefused() {
    String extra =
        policies("{\"@type\":\"" + T + "round_robin.v3.RoundRobin\",\"slow_start_config\":{}}");
    try (var b = build(staticCluster("c", "ROUND_ROBIN", extra, 1))) {
      assertThat(b.problems().list())
          .map(ConfigProblem::toString)
          .containsExactly(
              "static_resources.clusters[0].load_balancing_policy.policies[0].typed_extension_config"
                  + ".typed_config.slow_start_config: field is not supported by weft");
    }
  }
}
