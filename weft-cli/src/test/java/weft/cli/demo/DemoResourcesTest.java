package weft.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;
import weft.cli.Cli;

class DemoResourcesTest {
  private static final Path EXAMPLES = locate("examples/demo");

  /** Tests run in weft-cli/; the examples live at the repository root. */
  private static Path locate(String dir) {
    Path here = Path.of("").toAbsolutePath();
    return Files.isDirectory(here.resolve(dir)) ? here.resolve(dir) : here.getParent().resolve(dir);
  }

  @ParameterizedTest
  @ValueSource(strings = {"mesh.yaml", "policy-stage1.yaml", "policy-stage2.yaml", "policy-stage3.yaml"})
  void examplesAreTheBundledTemplatesRenderedWithTheDefaults(String name) throws Exception {
    assertThat(new DemoResources(DemoOptions.DEFAULT_NET, 80).render(name))
        .isEqualTo(Files.readString(EXAMPLES.resolve(name)));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3})
  void everyStageLoadsWithoutErrorsBesideTheMesh(int stage, @TempDir Path dir) throws Exception {
    new DemoResources("127.0.44", 8080).writeAll(dir, stage);
    LoadResult r = ResourceLoader.load(dir);
    assertThat(r.errors()).isEmpty();
    assertThat(Files.readString(dir.resolve(DemoResources.MESH))).contains("127.0.44.1", "port: 8080")
        .doesNotContain("{{");
  }

  @Test
  void rewritingTheSameStageIsNoChange(@TempDir Path dir) throws Exception {
    DemoResources r = new DemoResources(DemoOptions.DEFAULT_NET, 80);
    r.writeAll(dir, 2);
    assertThat(r.writeStage(dir, 2)).isFalse();
    assertThat(r.writeStage(dir, 3)).isTrue();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString()).sorted().toList())
        .as("no temporary files left for the config dir watcher").isEqualTo(List.of("mesh.yaml", "policy.yaml"));
  }

  @Test
  void stagesOutsideOneToThreeAreRefused() {
    assertThatThrownBy(() -> DemoResources.stageFile(4)).hasMessage("stage 4 (expected: 1..3)");
    assertThatThrownBy(() -> new DemoOptions(Path.of("x"), 4, true, DemoOptions.DEFAULT_NET, 0, 0, 5))
        .hasMessage("--stage 4 (expected: 1..3)");
    assertThatThrownBy(() -> new DemoOptions(Path.of("x"), 0, true, "10.0.0", 0, 0, 5))
        .hasMessage("--network 10.0.0 (expected: 127.X.Y, a loopback /24)");
  }

  @Test
  void theCommandExplainsABadStage() {
    Cli r = Cli.run("demo", "--stage", "7");
    assertThat(r.status()).isEqualTo(2);
    assertThat(r.err()).contains("error: --stage 7 (expected: 1..3)");
  }
}
