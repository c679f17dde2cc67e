package weft.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark starts weft proxies with the JVM options the {@code ./weft} launcher gives {@code weft proxy}. */
class ProxyJavaOptionsTest {
  @Test
  void launcherAndHarnessShareTheProxyDefaults() throws IOException {
    String launcher = Files.readString(Path.of("..", "weft"));
    assertThat(launcher)
        .contains("WEFT_PROXY_DEFAULT_JAVA_OPTS=\"" + BenchProxyCommand.DEFAULT_PROXY_JAVA_OPTS + "\"\n")
        .contains("proxy) command_opts=${WEFT_PROXY_JAVA_OPTS-$WEFT_PROXY_DEFAULT_JAVA_OPTS} ;;")
        .contains("-ge 23 ]; then unsafe_opt=\"--sun-misc-unsafe-memory-access=allow\"; fi")
        .contains("--enable-native-access=ALL-UNNAMED $unsafe_opt \\\n  -Dio.netty.allocator.type=pooled");
    assertThat(BenchProxyCommand.COMMON_JAVA_OPTS).contains("--sun-misc-unsafe-memory-access=allow"); // JDK 25 here
  }

  @Test
  void defaultsUnlessWeftProxyJavaOptsIsSetThenBenchOptionsLast() {
    List<String> defaults = BenchProxyCommand.weftCommand(null, null);
    assertThat(defaults.subList(1, defaults.size() - 3)).containsExactlyElementsOf(
        concat(List.of(BenchProxyCommand.DEFAULT_PROXY_JAVA_OPTS.split(" ")), BenchProxyCommand.COMMON_JAVA_OPTS));
    assertThat(defaults.subList(defaults.size() - 3, defaults.size()))
        .containsExactly("-cp", System.getProperty("java.class.path"), "weft.cli.Main");

    List<String> custom = BenchProxyCommand.weftCommand(" -XX:+UseZGC  -Xmx1g ", "-XX:StartFlightRecording");
    assertThat(custom.subList(1, custom.size() - 3)).containsExactlyElementsOf(concat(
        concat(List.of("-XX:+UseZGC", "-Xmx1g"), BenchProxyCommand.COMMON_JAVA_OPTS), List.of("-XX:StartFlightRecording")));

    // set but empty, as with the launcher's ${WEFT_PROXY_JAVA_OPTS-...}: no proxy options at all
    assertThat(BenchProxyCommand.weftCommand("", null).get(1)).isEqualTo("-XX:+ExitOnOutOfMemoryError");
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
