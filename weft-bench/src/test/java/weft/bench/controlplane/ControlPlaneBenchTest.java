package weft.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The whole harness, tiny: a real control plane, 5 simulated proxies, 20 services, one round. */
class ControlPlaneBenchTest {
  @Test
  @Timeout(60)
  void aTinyMeshSyncsAndEveryAffectedProxyAcksBothChanges() throws Exception {
    StringWriter progress = new StringWriter();
    String report = ControlPlaneBench.run(
        new ControlPlaneBenchSettings(List.of(5), List.of(20), 1, Duration.ofSeconds(30), false),
        new PrintWriter(progress, true));

    assertThat(report).doesNotContain("stopped").doesNotContain("problem(s)");
    List<String> rows = report.lines().filter(l -> l.startsWith("| 5 | 20 |")).toList();
    assertThat(rows).hasSize(3); // the sync table and one per kind of change
    for (String row : rows) {
      List<Double> figures = Arrays.stream(row.split("\\|")).map(String::trim).filter(c -> !c.isEmpty())
          .map(c -> Double.parseDouble(c.replace(",", ""))).toList();
      assertThat(figures).as(row).allSatisfy(v -> assertThat(v).isPositive());
    }
    // clusters per proxy: 20 services + the inbound cluster; the policy edit reaches tier t0 only
    // (w0 of 5), the added endpoint every proxy
    assertThat(rows.get(0)).startsWith("| 5 | 20 | 21 |");
    assertThat(rows.get(1)).startsWith("| 5 | 20 | 1 |");
    assertThat(rows.get(2)).startsWith("| 5 | 20 | 5 |");
    assertThat(report).contains("https://istio.io/v1.16/docs/ops/deployment/performance-and-scalability");
  }
}
