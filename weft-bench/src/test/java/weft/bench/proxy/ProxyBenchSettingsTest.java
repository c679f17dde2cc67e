package weft.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxyBenchSettingsTest {
  private static ProxyBenchSettings settings(Duration d) {
    return new ProxyBenchSettings(d, 32, List.of(1000, 5000, 20000), List.of("java"));
  }

  @Test
  void theDurationIsSplitOverAPathsMeasurementsWithAFloor() {
    // 3 closed loops (wrk small, wrk large, h2load) + 3 rates x 2 protocols
    assertThat(settings(Duration.ofSeconds(18)).perMeasurement(3)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings(Duration.ofSeconds(16)).perMeasurement(2)).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings(Duration.ofSeconds(1)).perMeasurement(3)).isEqualTo(Duration.ofMillis(200));
  }

  @Test
  void fullRunsWarmUpForTwoThousandResponsesSmokeRunsForFewer() {
    assertThat(settings(Duration.ofSeconds(20)).warmResponses()).isEqualTo(2000);
    assertThat(settings(Duration.ofMinutes(2)).warmResponses()).isEqualTo(2000);
    assertThat(settings(Duration.ofSeconds(5)).warmResponses()).isEqualTo(500);
    assertThat(settings(Duration.ofMillis(1600)).warmResponses()).isEqualTo(200);
  }

  @Test
  void everyPathAndPeersUnlessSaidOtherwiseAndAtLeastOnePath() {
    ProxyBenchSettings s = settings(Duration.ofSeconds(20));
    assertThat(s.paths()).containsExactly(BenchPath.values());
    assertThat(s.usePeers()).isTrue();
    assertThatThrownBy(() -> new ProxyBenchSettings(Duration.ofSeconds(1), 1, List.of(1), List.of(),
        EnumSet.noneOf(BenchPath.class), true))
        .hasMessage("paths must name at least one path, got none");
  }

  @Test
  void pathsAreNamedAsOnTheCommandLine() {
    assertThat(BenchPath.of(" Weft-C2 ")).isEqualTo(BenchPath.WEFT_C2);
    assertThatThrownBy(() -> BenchPath.of("envoy"))
        .hasMessage("unknown path 'envoy' (expected one of: direct, haproxy, nginx, weft, weft-c2, weft-mtls)");
  }
}
