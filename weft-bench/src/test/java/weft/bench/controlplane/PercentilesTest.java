package weft.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @ParameterizedTest(name = "p{1} of 1..{0} is {2}")
  @CsvSource({
      // nearest rank: ceil(p/100 * n)-th smallest
      "100, 50, 50",
      "100, 99, 99",
      "100, 100, 100",
      "10, 99, 10",   // fewer than 100 values: p99 is the maximum
      "10, 50, 5",
      "3, 50, 2",
      "1, 1, 1",
      "1000, 99.9, 999",
  })
  void nearestRankOfOneToN(int n, double p, long expected) {
    long[] values = LongStream.rangeClosed(1, n).map(i -> n + 1 - i).toArray(); // given unsorted
    assertThat(Percentiles.of(values).percentile(p)).isEqualTo(expected);
  }

  @Test
  void everyPercentileIsAMeasuredValue() {
    Percentiles p = Percentiles.of(new long[] {5_000_000, 1_000_000, 9_000_000});
    assertThat(p.millis(50)).isEqualTo(5.0);
    assertThat(p.millis(99)).isEqualTo(9.0);
    assertThat(p.maxMillis()).isEqualTo(9.0);
    assertThat(p.count()).isEqualTo(3);
  }

  @Test
  void anEmptySampleHasNoPercentiles() {
    assertThat(Percentiles.of(new long[0]).percentile(50)).isNaN();
    assertThat(Percentiles.of(new long[0]).max()).isNaN();
  }

  @Test
  void rejectsPercentilesOutsideZeroToHundred() {
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}).percentile(0))
        .hasMessage("percentile: 0.0 (expected: 0 < p <= 100)");
    assertThatThrownBy(() -> Percentiles.of(new long[] {1}).percentile(101))
        .hasMessage("percentile: 101.0 (expected: 0 < p <= 100)");
  }
}
