package weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import weft.cli.WeftCommand;

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
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream saved = System.err;
    int status;
    try {
      System.setErr(new PrintStream(stderr, true, StandardCharsets.UTF_8));
      status = new CommandLine(new WeftCommand()).execute("bench", "controlplane", option, value);
    } finally {
      System.setErr(saved);
    }
    assertThat(status).isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8)).contains("weft bench controlplane: " + message);
  }
}
