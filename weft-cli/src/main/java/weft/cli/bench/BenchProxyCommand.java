package weft.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.bench.proxy.BenchPath;
import weft.bench.proxy.ProxyBench;
import weft.bench.proxy.ProxyBenchSettings;

/**
 * {@code weft bench proxy}: runs {@link ProxyBench} with weft processes started from this very
 * jar (same JVM binary and class path, the launcher's JVM options), prints the markdown report and
 * optionally writes it to {@code --out}.
 */
@Command(
    name = "proxy",
    description = "Latency, throughput, CPU and memory of weft hops vs. the direct path (markdown tables).",
    footer = {"", "Example:", "  weft bench proxy --duration 20s --connections 32 --rates 1000,5000,20000 --out r.md"})
final class BenchProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--duration", converter = DurationConverter.class,
      description = "measured time per path, split over its measurements (default: ${DEFAULT-VALUE})", defaultValue = "20s")
  Duration duration;

  @Option(names = "--connections", description = "connections per generator (default: ${DEFAULT-VALUE})", defaultValue = "32")
  int connections;

  @Option(names = "--rates", split = ",", description = "open-loop request rates per second (default: ${DEFAULT-VALUE})",
      defaultValue = "1000,5000,20000")
  List<Integer> rates;

  @Option(names = "--out", description = "also write the report to this markdown file")
  Path out;

  @Option(names = "--paths", split = ",", converter = PathConverter.class,
      description = "paths to measure, in this order whatever the order given: direct, haproxy, nginx, weft, weft-c2, "
          + "weft-mtls (default: all; haproxy and nginx only when installed)")
  List<BenchPath> paths = List.of(BenchPath.values());

  @Option(names = "--peers", description = "auto: use nginx (backend and peer), HAProxy, wrk and h2load when installed; "
      + "none: built-in backend and generators only, even when they are installed (default: ${DEFAULT-VALUE})",
      defaultValue = "auto")
  PeerUse peers;

  /** Whether installed peers and external generators are used. */
  enum PeerUse { auto, none }

  @Override
  public Integer call() throws IOException, InterruptedException {
    ProxyBenchSettings settings;
    try {
      settings = new ProxyBenchSettings(duration, connections, rates, weftCommand(), EnumSet.copyOf(paths),
          peers == PeerUse.auto);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("weft bench proxy: " + e.getMessage());
      return 2;
    }
    String report = ProxyBench.run(settings, spec.commandLine().getErr());
    Reports.emit("weft bench proxy", report, out, spec.commandLine().getOut(), spec.commandLine().getErr());
    return 0;
  }

  /**
   * The JVM options of a weft proxy process unless {@code WEFT_PROXY_JAVA_OPTS} replaces them: the
   * {@code ./weft} launcher uses the same string for {@code weft proxy} (a test keeps the two equal);
   * docs/proxy.md ("Memory") gives the measurements behind them.
   */
  static final String DEFAULT_PROXY_JAVA_OPTS =
      "-XX:+UseSerialGC -Xms16m -Xmx128m -XX:MaxDirectMemorySize=64m -XX:MetaspaceSize=64m";

  /**
   * Options every weft JVM gets from the launcher, after the proxy's own: on JDK 23+ also Netty's
   * Unsafe access (see the launcher); the proxies run on this JVM's binary, so its version decides.
   */
  static final List<String> COMMON_JAVA_OPTS = Runtime.version().feature() >= 23
      ? List.of("-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED",
          "--sun-misc-unsafe-memory-access=allow", "-Dio.netty.allocator.type=pooled")
      : List.of("-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-Dio.netty.allocator.type=pooled");

  /**
   * This JVM's binary and class path running {@code weft.cli.Main}, with the proxy JVM options the
   * launcher would give ({@code WEFT_PROXY_JAVA_OPTS}, else {@link #DEFAULT_PROXY_JAVA_OPTS}) and
   * then {@code WEFT_BENCH_PROXY_JAVA_OPTS} (space-separated; e.g. a JFR recording per proxy).
   */
  static List<String> weftCommand() {
    return weftCommand(System.getenv("WEFT_PROXY_JAVA_OPTS"), System.getenv("WEFT_BENCH_PROXY_JAVA_OPTS"));
  }

  static List<String> weftCommand(String proxyOpts, String benchOpts) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>(List.of(java));
    // like the launcher's ${WEFT_PROXY_JAVA_OPTS-default}: set but empty means no options
    cmd.addAll(words(proxyOpts == null ? DEFAULT_PROXY_JAVA_OPTS : proxyOpts));
    cmd.addAll(COMMON_JAVA_OPTS);
    cmd.addAll(words(benchOpts));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "weft.cli.Main"));
    return cmd;
  }

  private static List<String> words(String s) {
    return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
  }

  /** {@code direct}, {@code weft-c2}, ... as {@link BenchPath#of} reads them. */
  static final class PathConverter implements ITypeConverter<BenchPath> {
    @Override
    public BenchPath convert(String value) {
      try {
        return BenchPath.of(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** {@code 20s}, {@code 500ms}, {@code 2m}. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      try {
        if (v.endsWith("ms")) {
          return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
        }
        if (v.endsWith("s")) {
          return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
        }
        if (v.endsWith("m")) {
          return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
        }
      } catch (NumberFormatException e) {
        // fall through to the message below
      }
      throw new picocli.CommandLine.TypeConversionException(
          "invalid duration '" + value + "': expected a number with ms, s or m, e.g. 20s");
    }
  }
}
