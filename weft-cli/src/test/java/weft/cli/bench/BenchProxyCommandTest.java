package weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
import weft.cli.Cli;

/**
 * The harness end to end with short durations: real weft child processes, and either the built-in
 * backend and generators (as on CI, where no peer is installed) or nginx, HAProxy, wrk and h2load.
 * Asserts the tables exist and hold numbers, never how fast anything was.
 */
class BenchProxyCommandTest {
  @Test
  @Timeout(value = 240, unit = TimeUnit.SECONDS)
  void writesOneMarkdownTablePerScenarioWithEveryPathMeasured(@TempDir Path dir) throws Exception {
    // --peers none: the built-in backend and generators, as on a machine without the peers (CI)
    String report = run(dir, "--duration", "1600ms", "--connections", "4", "--rates", "200", "--peers", "none");
    assertThat(report).contains("cores", "kernel", "JDK", "load average");
    assertThat(report).contains("## Peers and tools not used", "- nginx (backend, and the 1-worker one-hop peer): "
        + "left out (--peers none); the built-in Netty backend serves instead and there is no nginx row");
    assertThat(report).doesNotContain("Max throughput, closed loop, h2c").doesNotContain("haproxy (nbthread 1) |");
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

  /**
   * The peers alone (weft's paths are covered above, and ratios by TableTest): kept to direct,
   * HAProxy and nginx so the test stays short; the ratio columns appear because the peers ran.
   */
  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void measuresHaproxyAndNginxWithWrkAndH2loadWhenInstalled(@TempDir Path dir) throws Exception {
    for (String tool : List.of("nginx", "haproxy", "wrk", "h2load")) {
      assumeTrue(onPath(tool), tool + " not installed: the peers' smoke test needs nginx, haproxy, wrk and h2load");
    }
    String report = run(dir, "--duration", "1s", "--connections", "4", "--rates", "200",
        "--paths", "nginx,direct,haproxy");
    assertThat(report).doesNotContain("Peers and tools not used").doesNotContain("Paths that failed")
        .doesNotContain("failed:");
    assertThat(report).contains("- backend: nginx, 1 worker", "wrk, 1 thread", "h2load, 1 thread");
    for (String t : List.of(
        "Max throughput, closed loop, HTTP/1.1 keep-alive, 100 B responses (wrk -t1 -c4)",
        "Max throughput, closed loop, HTTP/1.1 keep-alive, 16 KiB responses (wrk -t1 -c4)",
        "Max throughput, closed loop, h2c, 100 B responses (h2load -t1 -c4 -m10)",
        "Latency at 200 req/s, open loop (coordinated-omission corrected), HTTP/1.1",
        "Latency at 200 req/s, open loop (coordinated-omission corrected), h2c", "Peak RSS")) {
      assertThat(report).contains("### " + t);
    }
    // 3 closed-loop tables, 2 latency tables, and (except direct) the memory table; every path answered
    for (String path : List.of("direct", "haproxy (nbthread 1)", "nginx (1 worker)")) {
      Matcher m = Pattern.compile("^\\| " + Pattern.quote(path) + " \\| ([0-9.,]+) \\|", Pattern.MULTILINE).matcher(report);
      int rows = 0;
      while (m.find()) {
        rows++;
        assertThat(Double.parseDouble(m.group(1).replace(",", ""))).as(path + " in\n" + report).isPositive();
      }
      assertThat(rows).as(path + " rows in\n" + report).isEqualTo(path.equals("direct") ? 5 : 6);
    }
    assertThat(report).contains("| req/s weft/direct | req/s weft/HAProxy | req/s weft/nginx |",
        "| proxy CPU s/1k req weft/HAProxy | proxy CPU s/1k req weft/nginx |",
        "| peak RSS MiB weft/HAProxy | peak RSS MiB weft/nginx |");
    // paths run in the documented order whatever the order given
    assertThat(report.indexOf("| direct |")).isLessThan(report.indexOf("| haproxy (nbthread 1) |"));
    assertThat(report.indexOf("| haproxy (nbthread 1) |")).isLessThan(report.indexOf("| nginx (1 worker) |"));
  }

  @Test
  void unknownPathsAreRefusedWithTheNamesThatExist() {
    Cli r = Cli.run("bench", "proxy", "--paths", "envoy");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains(
        "unknown path 'envoy' (expected one of: direct, haproxy, nginx, weft, weft-c2, weft-mtls)");
  }

  private static String run(Path dir, String... args) throws Exception {
    Path out = dir.resolve("result.md");
    List<String> argv = new java.util.ArrayList<>(List.of("bench", "proxy", "--out", out.toString()));
    argv.addAll(List.of(args));
    Cli r = Cli.run(argv.toArray(String[]::new));
    assertThat(r.status()).as(r.err()).isZero();
    String report = Files.readString(out);
    assertThat(r.out()).isEqualTo(report);
    return report;
  }

  /** As the harness looks: PATH, then the sbin directories where Debian puts nginx and haproxy. */
  private static boolean onPath(String executable) {
    String dirs = System.getenv().getOrDefault("PATH", "") + java.io.File.pathSeparator + "/usr/local/sbin:/usr/sbin:/sbin";
    for (String d : dirs.split(java.io.File.pathSeparator)) {
      if (!d.isEmpty() && Files.isExecutable(Path.of(d, executable))) {
        return true;
      }
    }
    return false;
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
