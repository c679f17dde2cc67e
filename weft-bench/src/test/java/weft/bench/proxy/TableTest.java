package weft.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void weftRowsCarryRatiosToDirectAndToHaproxyOnlyWhenHaproxyRan() {
    Table t = new Table("Max throughput", List.of("req/s", "errors"), List.of(0));
    t.add(Table.DIRECT, 1000, 0);
    t.add("weft 1 hop, concurrency 1", 800, 0);
    assertThat(t.markdown()).isEqualTo("""
        ### Max throughput

        | path | req/s | errors | req/s weft/direct |
        |---|---:|---:|---:|
        | direct | 1,000 | 0.000 |  |
        | weft 1 hop, concurrency 1 | 800 | 0.000 | 0.80x |

        """);
    t.add(Table.HAPROXY, 1600, 0);
    assertThat(t.markdown())
        .contains("| req/s weft/direct | req/s weft/HAProxy |")
        .contains("| weft 1 hop, concurrency 1 | 800 | 0.000 | 0.80x | 0.50x |");
  }

  @Test
  void missingFiguresPrintAsNotAvailableNeverAsARatioOfNothing() {
    Table t = new Table("Latency", List.of("p99 ms"), List.of(0));
    t.add(Table.DIRECT, Double.NaN);
    t.add("weft 2 hops", 12.5);
    assertThat(t.markdown()).contains("| direct | n/a |  |").contains("| weft 2 hops | 12.5 | n/a |");
  }

  @Test
  void cpuAndMemoryColumnsCompareWithThePeersOnlyBecauseTheDirectPathHasNoProxy() {
    Table t = new Table("Max throughput", List.of("req/s", "CPU s/1k"), List.of(0), List.of(1));
    t.add(Table.DIRECT, 1000, Double.NaN);
    t.add(Table.NGINX, 900, 0.05);
    t.add("weft 1 hop, concurrency 1", 500, 0.25);
    assertThat(t.markdown())
        .contains("| path | req/s | CPU s/1k | req/s weft/direct | req/s weft/nginx | CPU s/1k weft/nginx |\n")
        .contains("| weft 1 hop, concurrency 1 | 500 | 0.250 | 0.50x | 0.56x | 5.00x |\n")
        .contains("| nginx (1 worker) | 900 | 0.050 |  |  |  |\n")
        .doesNotContain("weft/HAProxy");
  }
}
