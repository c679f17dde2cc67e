package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Envoy's jittered exponential backoff: uniform in [0, min(base * 2^n, cap)). */
class BackoffTest {
  @Property(tries = 200)
  void everyWaitIsUnderTheGrowingCeilingAndNeverAboveTheCap(@ForAll @IntRange(min = 1, max = 60) int n) {
    Backoff b = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));
    for (int i = 0; i < n; i++) {
      long ceiling = Math.min(30_000, 500L << Math.min(i, 20));
      assertThat(b.ceiling().toMillis()).isEqualTo(ceiling);
      assertThat(b.next().toMillis()).isBetween(0L, ceiling - 1);
    }
    b.reset();
    assertThat(b.ceiling()).isEqualTo(Duration.ofMillis(500));
  }

  @Property(tries = 10)
  void aBaseAboveTheCapIsRefused(@ForAll @IntRange(min = 2, max = 100) int factor) {
    assertThatThrownBy(() -> new Backoff(Duration.ofMillis(factor), Duration.ofMillis(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be > 0 and <= max");
  }
}
