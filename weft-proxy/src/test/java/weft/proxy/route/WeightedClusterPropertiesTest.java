package weft.proxy.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** traffic_splitting.rst: weights are the share of traffic each cluster receives. */
class WeightedClusterPropertiesTest {

  @Property(tries = 30)
  void trafficIsSplitInProportionToTheWeights(
      @ForAll @Size(min = 1, max = 5) List<@IntRange(min = 0, max = 100) Integer> weights,
      @ForAll long seed) {
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    if (total == 0) {
      return; // rejected at compile, covered by RouteActionTest
    }
    StringBuilder yaml = new StringBuilder("- match: {prefix: /}\n  route:\n    weighted_clusters:\n      clusters:\n");
    for (int i = 0; i < weights.size(); i++) {
      yaml.append("      - {name: c").append(i).append(", weight: ").append(weights.get(i)).append("}\n");
    }
    RouteTable t = Yaml.routes(yaml.toString());
    TestRequest r = TestRequest.get("/");
    SplittableRandom random = new SplittableRandom(seed);
    int n = 20_000;
    Map<String, Integer> counts = new HashMap<>();
    for (int i = 0; i < n; i++) {
      counts.merge(((RouteResult.Forward) t.route(r, random.nextLong())).cluster(), 1, Integer::sum);
    }
    for (int i = 0; i < weights.size(); i++) {
      double expected = (double) weights.get(i) / total;
      double actual = counts.getOrDefault("c" + i, 0) / (double) n;
      // 20k samples: 5 standard deviations of a binomial share is below 0.018
      assertThat(actual).as("share of c%d with weights %s", i, weights).isCloseTo(expected, org.assertj.core.data.Offset.offset(0.02));
      if (weights.get(i) == 0) {
        assertThat(counts).doesNotContainKey("c" + i);
      }
    }
  }
}
