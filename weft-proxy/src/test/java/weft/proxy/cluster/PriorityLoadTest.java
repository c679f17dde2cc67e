package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Tables from Envoy's arch_overview/upstream/load_balancing/priority ("Priority levels"). */
class PriorityLoadTest {

  /** Hosts healthy out of 100 per priority -> expected traffic percent per priority. */
  @ParameterizedTest(name = "healthy {0} -> load {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        // two levels, P=1 100% healthy
        "100 100 | 100 0",
        "72 100  | 100 0",
        "71 100  | 99 1",
        "50 100  | 70 30",
        "25 100  | 35 65",
        "0 100   | 0 100",
        // two levels, normalized total health
        "72 72   | 100 0",
        "71 71   | 99 1",
        "50 50   | 70 30",
        "25 25   | 50 50",
        // three levels
        "100 100 100 | 100 0 0",
        "72 72 100   | 100 0 0",
        "71 71 100   | 99 1 0",
        "50 50 100   | 70 30 0",
        "25 100 100  | 35 65 0",
        "25 25 100   | 35 35 30",
        // the doc prints 36/36/28 (rounded shares of 35/35/28 over 98); Envoy's integer
        // algorithm gives 35/35/28 and hands the remaining 2 to the first healthy level
        "25 25 20    | 37 35 28",
      })
  void priorityLoadMatchesTheDocumentedTables(String healthy, String expected) {
    String[] h = healthy.trim().split("\\s+");
    int[] healthyCounts = new int[h.length];
    int[] totals = new int[h.length];
    for (int i = 0; i < h.length; i++) {
      healthyCounts[i] = Integer.parseInt(h[i]);
      totals[i] = 100;
    }
    PriorityLoad load = PriorityLoad.compute(healthyCounts, totals, 140, 50);
    assertThat(load.load()).containsExactly(parse(expected));
  }

  @ParameterizedTest(name = "healthy {0} of {1} -> load {2}, panic {3}")
  @CsvSource(
      delimiter = '|',
      value = {
        // arch_overview/upstream/load_balancing/panic_threshold: below 50% healthy in a level
        // while the total health is under 100, that level routes to all its hosts
        "1 0 | 4 4 | 100 0 | true true",
        // total health 100: nothing panics even with a dead level
        "0 1 | 1 1 | 0 100 | false false",
        // nothing healthy anywhere: load by host count, everything panics
        "0 0 | 1 3 | 25 75 | true true",
        // the locality-load-balancing example: P0 dead, P1 half healthy, P2 healthy
        "0 1 1 | 1 2 1 | 0 70 30 | false false false",
      })
  void panicAndTotalPanic(String healthy, String total, String load, String panic) {
    PriorityLoad l = PriorityLoad.compute(parse(healthy), parse(total), 140, 50);
    assertThat(l.load()).containsExactly(parse(load));
    String[] p = panic.trim().split("\\s+");
    for (int i = 0; i < p.length; i++) {
      assertThat(l.panic()[i]).as("panic[%d]", i).isEqualTo(Boolean.parseBoolean(p[i]));
    }
  }

  @ParameterizedTest(name = "factor {0}")
  @CsvSource({"100, 50, 50", "200, 100, 0"})
  void overprovisioningFactorScalesHealth(int factor, int p0, int p1) {
    PriorityLoad l = PriorityLoad.compute(new int[] {1, 2}, new int[] {2, 2}, factor, 50);
    assertThat(l.load()).containsExactly(p0, p1);
  }

  /** Hashes are unsigned 64-bit, as Envoy's: -1 is 2^64-1, and 2^64-1 % 100 = 15. */
  @ParameterizedTest(name = "hash {0} -> priority {1}")
  @CsvSource({"0, 0", "69, 0", "70, 1", "99, 1", "100, 0", "-1, 0"})
  void choosePriorityWalksTheCumulativeLoad(long hash, int expected) {
    PriorityLoad l = new PriorityLoad(new int[] {70, 30}, new boolean[2]);
    assertThat(l.choose(hash)).isEqualTo(expected);
  }

  private static int[] parse(String s) {
    String[] parts = s.trim().split("\\s+");
    int[] out = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = Integer.parseInt(parts[i]);
    }
    return out;
  }
}
