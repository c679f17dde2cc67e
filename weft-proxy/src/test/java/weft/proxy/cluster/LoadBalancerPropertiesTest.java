package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Properties of the load balancers (arch_overview/upstream/load_balancing/load_balancers). */
class LoadBalancerPropertiesTest {

  static List<Host> hosts(List<Integer> weights) {
    List<Host> out = new ArrayList<>();
    for (int i = 0; i < weights.size(); i++) {
      InetSocketAddress a = new InetSocketAddress("10.0." + (i / 250) + "." + (i % 250 + 1), 8080);
      out.add(new Host(a, "", Locality.NONE, 0, weights.get(i), a, ""));
    }
    return out;
  }

  static Map<Host, Integer> count(HostPicker p, int picks) {
    Map<Host, Integer> counts = new IdentityHashMap<>();
    SplittableRandom r = new SplittableRandom(42);
    for (int i = 0; i < picks; i++) {
      counts.merge(p.pick(r.nextLong(), 0), 1, Integer::sum);
    }
    return counts;
  }

  @Property(tries = 200)
  void weightedRoundRobinGivesEachHostExactlyItsWeightPerCycle(
      @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 50) Integer> weights) {
    List<Host> hosts = hosts(weights);
    int total = weights.stream().mapToInt(Integer::intValue).sum();
    Map<Host, Integer> counts = count(new RoundRobinPicker(hosts), total * 3);
    for (Host h : hosts) {
      assertThat(counts.get(h)).isEqualTo(h.weight() * 3);
    }
  }

  @Property(tries = 15)
  void weightedRandomRespectsWeightsWithinTolerance(
      @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 10) Integer> weights) {
    List<Host> hosts = hosts(weights);
    double total = weights.stream().mapToInt(Integer::intValue).sum();
    int picks = 40_000;
    Map<Host, Integer> counts = count(new RandomPicker(hosts), picks);
    for (Host h : hosts) {
      double share = counts.getOrDefault(h, 0) / (double) picks;
      assertThat(share).isCloseTo(h.weight() / total, org.assertj.core.data.Offset.offset(0.02));
    }
  }

  @Property(tries = 50)
  void ringHashIsStickyForTheSameKey(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 5) Integer> weights, @ForAll long key) {
    List<Host> hosts = hosts(weights);
    RingHashPicker a = new RingHashPicker(hosts, 1024, 8 * 1024 * 1024);
    RingHashPicker b = new RingHashPicker(hosts, 1024, 8 * 1024 * 1024);
    assertThat(a.pick(key, 0)).isSameAs(a.pick(key, 0)).isSameAs(b.pick(key, 0));
  }

  @Property(tries = 10)
  void ringHashMovesFewKeysWhenAHostLeaves(@ForAll @IntRange(min = 4, max = 10) int n) {
    List<Host> hosts = hosts(java.util.Collections.nCopies(n, 1));
    List<Host> fewer = hosts.subList(1, n);
    HostPicker before = new RingHashPicker(hosts, 1024, 8 * 1024 * 1024);
    HostPicker after = new RingHashPicker(fewer, 1024, 8 * 1024 * 1024);
    assertThat(movedFraction(before, after, hosts.get(0))).isLessThan(0.25);
  }

  @Property(tries = 6)
  void maglevIsBalancedAndMovesFewKeysWhenAHostLeaves(@ForAll @IntRange(min = 3, max = 10) int n) {
    List<Host> hosts = hosts(java.util.Collections.nCopies(n, 1));
    MaglevPicker before = new MaglevPicker(hosts, 65537);
    Map<Host, Integer> slots = new IdentityHashMap<>();
    for (Host h : before.table()) {
      slots.merge(h, 1, Integer::sum);
    }
    for (Host h : hosts) {
      // Maglev's table is near-perfectly balanced for equal weights
      assertThat(slots.get(h)).isCloseTo(65537 / n, org.assertj.core.data.Offset.offset(2));
    }
    MaglevPicker after = new MaglevPicker(hosts.subList(1, n), 65537);
    assertThat(movedFraction(before, after, hosts.get(0))).isLessThan(0.2);
  }

  @Property(tries = 10)
  void maglevRespectsWeights(@ForAll @IntRange(min = 2, max = 5) int heavy) {
    List<Host> hosts = hosts(List.of(heavy, 1));
    MaglevPicker p = new MaglevPicker(hosts, 65537);
    long heavySlots = java.util.Arrays.stream(p.table()).filter(h -> h == hosts.get(0)).count();
    assertThat(heavySlots / 65537.0).isCloseTo(heavy / (heavy + 1.0), org.assertj.core.data.Offset.offset(0.01));
  }

  /** Among keys that did not belong to the removed host, the share that now maps elsewhere. */
  private static double movedFraction(HostPicker before, HostPicker after, Host removed) {
    SplittableRandom r = new SplittableRandom(7);
    int kept = 0;
    int moved = 0;
    for (int i = 0; i < 20_000; i++) {
      long key = r.nextLong();
      Host b = before.pick(key, 0);
      Host a = after.pick(key, 0);
      assertThat(a).isNotSameAs(removed);
      if (b != removed) {
        kept++;
        if (a != b) {
          moved++;
        }
      }
    }
    return moved / (double) kept;
  }

  @Property(tries = 20)
  void leastRequestPrefersTheLessLoadedHost(@ForAll @IntRange(min = 1, max = 50) int load) {
    List<Host> hosts = hosts(List.of(1, 1));
    Host busy = hosts.get(0);
    for (int i = 0; i < load; i++) {
      busy.requestStarted();
    }
    Map<Host, Integer> counts = count(new LeastRequestPicker(hosts, 2, 1.0), 20_000);
    // P2C: the busy host only wins when both samples are the busy host (1/4)
    assertThat(counts.getOrDefault(busy, 0) / 20_000.0).isCloseTo(0.25, org.assertj.core.data.Offset.offset(0.02));
  }
}
