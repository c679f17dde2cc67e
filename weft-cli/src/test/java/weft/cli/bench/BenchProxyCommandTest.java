package weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import weft.cli.WeftCommand;

/**
 * The harness end to end with short durations: real weft child processes, the built-in backend and
 * generators. Asserts the tables exist and hold numbers, never how fast anything was.
 */
class BenchProxyCommandTest {
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void writesOneMarkdownTablePerScenarioWithEveryPathMeasured(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("result.md");
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    PrintStream saved = System.out;
    int status;
    try {
      System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
      status = new CommandLine(new WeftCommand()).execute(
          "bench", "proxy", "--duration", "1600ms", "--connections", "4", "--rates", "200", "--out", out.toString());
    } finally {
      System.setOut(saved);
    }
    assertThat(status).isZero();
    String report = Files.readString(out);
    assertThat(stdout.toString(StandardCharsets.UTF_8)).isEqualTo(report);
    assertThat(report).contains("cores", "kernel", "JDK", "load average");
    List<String> titles = List.of(
        "Max throughput, closed loop, HTTP/1.1 keep-alive, 100 B",
        "Max throughput, closed loop, HTTP/1.1 keep-alive, 16 KiB",
        "Latency at 200 req/s, open loop (coordinated-omission corrected), HTTP/1.1",
        "Latency at 200 req/s, open loop (coordinated-omission corrected), h2c",
        "Peak RSS", "New mTLS handshakes");
    for (String t : titles) {
      assertThat(report).contains("### " + t);
    }
    for (String path : List.of("direct", "weft 1 hop, concurrency 1", "weft 1 hop, concurrency 2",
        "weft 2 hops, mTLS (sidecar -> sidecar)")) {
      // a row in each throughput and latency table (and the RSS table for weft), each starting with a
      // number; no speed is asserted
      Matcher m = Pattern.compile("^\\| " + Pattern.quote(path) + " \\| [0-9][0-9.,]* \\|", Pattern.MULTILINE).matcher(report);
      int rows = 0;
      while (m.find()) {
        rows++;
      }
      assertThat(rows).as(path + " rows in\n" + report).isEqualTo(path.equals("direct") ? 4 : 5);
    }
    // the generator and backend themselves work: the direct path answered
    Matcher direct = Pattern.compile("^\\| direct \\| ([0-9.,]+) \\|", Pattern.MULTILINE).matcher(report);
    assertThat(direct.find()).isTrue();
    assertThat(Double.parseDouble(direct.group(1).replace(",", ""))).as(report).isPositive();
    assertThat(report).containsPattern("\\| weft server sidecar \\(1 hop, concurrency 1\\) \\| [0-9]");
    assertThat(report).containsPattern("\\| weft 1 hop, concurrency 1 \\| [0-9.]+ \\|\\n");
    assertThat(report).contains("weft/direct");
  }

  @Test
  void durationsReadAsTheHelpSaysAndNonsenseIsRefusedWithTheExpectation() {
    var c = new BenchProxyCommand.DurationConverter();
    assertThat(c.convert("20s")).isEqualTo(Duration.ofSeconds(20));
    assertThat(c.convert("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.convert("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(c.convert("2m")).isEqualTo(Duration.ofMinutes(2));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.convert("fast"))
        .hasMessage("invalid duration 'fast': expected a number with ms, s or m, e.g. 20s");
  }
}
