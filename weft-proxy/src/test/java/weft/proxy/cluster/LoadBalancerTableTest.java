package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.LoadBalancerPropertiesTest.count;
import static weft.proxy.cluster.LoadBalancerPropertiesTest.hosts;

import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The domain of each lb policy, row by row (load_balancers.rst). */
class LoadBalancerTableTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
  void everyPolicyReturnsNullForNoHostsAndTheHostForOne(String policy) {
    LbPolicy p = policyOf(policy);
    assertThat(p.picker(List.of()).pick(1, 0)).isNull();
    List<Host> one = hosts(List.of(3));
    assertThat(p.picker(one).pick(12345, 0)).isSameAs(one.get(0));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"ROUND_ROBIN", "LEAST_REQUEST", "RANDOM", "RING_HASH", "MAGLEV"})
  void everyPolicyReachesEveryHost(String policy) {
    List<Host> hs = hosts(List.of(1, 1, 1, 1));
    assertThat(count(policyOf(policy).picker(hs), 4000).keySet()).hasSize(4);
  }

  /** Envoy: weight / (active + 1)^bias when weights differ; bias 0 ignores load. */
  @ParameterizedTest(name = "weights 2,1 active {0},0 bias {1} -> light host share {2}")
  @CsvSource({"3, 1.0, 0.6667", "0, 1.0, 0.3333", "3, 0.0, 0.3333", "1, 2.0, 0.6667"})
  void leastRequestWithUnequalWeightsUsesTheActiveRequestBias(int active, double bias, double share) {
    List<Host> hs = hosts(List.of(2, 1));
    for (int i = 0; i < active; i++) {
      hs.get(0).requestStarted();
    }
    Map<Host, Integer> counts = count(new LeastRequestPicker(hs, 2, bias), 30_000);
    assertThat(counts.getOrDefault(hs.get(1), 0) / 30_000.0).isCloseTo(share, Offset.offset(0.02));
  }

  /** Smooth weighted round robin spreads picks: weights 5,1,1 give a,a,b,a,c,a,a (nginx's example). */
  @Test
  void weightedRoundRobinInterleavesInsteadOfBursting() {
    List<Host> hs = hosts(List.of(5, 1, 1));
    HostPicker p = new RoundRobinPicker(hs);
    StringBuilder seq = new StringBuilder();
    for (int i = 0; i < 7; i++) {
      seq.append((char) ('a' + hs.indexOf(p.pick(0, 0))));
    }
    // the cursor starts at a random offset, so any rotation of the cycle is right
    assertThat("aabacaa" + "aabacaa").contains(seq);
  }

  @Test
  void ringSizeFollowsEnvoysScaling() {
    // 3 equal hosts, minimum 1024: each gets ceil(1024/3) = 342 points
    assertThat(new RingHashPicker(hosts(List.of(1, 1, 1)), 1024, 8_388_608).size()).isEqualTo(1026);
    // the lightest host needs ceil(1024/1001) = 2 points, so 2002 in all, unless capped
    assertThat(new RingHashPicker(hosts(List.of(1, 1000)), 1024, 4096).size()).isEqualTo(2002);
    // capped: ~1500 (the running double sums may add one point, in Envoy's algorithm too)
    assertThat(new RingHashPicker(hosts(List.of(1, 1000)), 1024, 1500).size()).isBetween(1500, 1501);
  }

  @Test
  void ringHashRetryWalksToAnotherPoint() {
    List<Host> hs = hosts(List.of(1, 1, 1));
    RingHashPicker p = new RingHashPicker(hs, 1024, 8_388_608);
    boolean sawDifferent = false;
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 50; i++) {
      long k = r.nextLong();
      sawDifferent |= p.pick(k, 0) != p.pick(k, 5);
    }
    assertThat(sawDifferent).isTrue();
  }

  static LbPolicy policyOf(String name) {
    return switch (name) {
      case "ROUND_ROBIN" -> new LbPolicy.RoundRobin();
      case "LEAST_REQUEST" -> new LbPolicy.LeastRequest(2, 1.0);
      case "RANDOM" -> new LbPolicy.Random();
      case "RING_HASH" -> new LbPolicy.RingHash(1024, 8_388_608);
      case "MAGLEV" -> new LbPolicy.Maglev(65537);
      default -> throw new IllegalArgumentException(name);
    };
  }
}
