package weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.cli.Cli;

/** Argument checks of {@code weft bench controlplane}; the harness itself is tested in weft-bench. */
class BenchControlPlaneCommandTest {
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = ';', value = {
      "--proxies; 0; proxies: 0 (expected: >= 1)",
      "--services; 10,-1; services: -1 (expected: >= 1)",
      "--rounds; 0; rounds: 0 (expected: >= 1)",
      "--timeout; 0s; timeout: PT0S (expected: > 0)",
  })
  void refusesAnImpossibleMatrixBeforeStartingAnything(String option, String value, String message) {
    Cli r = Cli.run("bench", "controlplane", option, value);
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("weft bench controlplane: " + message);
  }
}
