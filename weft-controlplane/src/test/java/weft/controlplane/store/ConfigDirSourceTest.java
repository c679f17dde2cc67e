package weft.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.api.Workload;

@Timeout(60)
class ConfigDirSourceTest {
  @TempDir Path dir;
  private final Store store = new Store();

  private String address(String name) {
    return store.state().resources().workload("default", name)
        .map(Workload::addresses).map(a -> a.getFirst().getHostAddress()).orElse("absent");
  }

  @Test
  void loadsEveryFileRecursivelyBeforeStartReturns() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), Docs.workload("a", "127.0.0.2"));
    Files.createDirectories(dir.resolve("sub/deeper"));
    Files.writeString(dir.resolve("sub/deeper/b.yml"), Docs.workload("b", "127.0.0.3"));
    Files.writeString(dir.resolve("notes.txt"), "not a resource");
    try (ConfigDirSource source = ConfigDirSource.start(dir, store)) {
      assertThat(address("a")).isEqualTo("127.0.0.2");
      assertThat(address("b")).isEqualTo("127.0.0.3");
      assertThat(store.state().sources()).containsOnlyKeys("a.yaml", "sub/deeper/b.yml");
      assertThat(store.state().revision()).as("one revision per scan").isEqualTo(1);
    }
  }

  @Test
  void followsEditsNewFilesInNewDirectoriesAndDeletions() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), Docs.workload("a", "127.0.0.2"));
    try (ConfigDirSource source = ConfigDirSource.start(dir, store)) {
      Files.writeString(dir.resolve("a.yaml"), Docs.workload("a", "127.0.0.7"));
      await().atMost(Duration.ofSeconds(10)).until(() -> address("a").equals("127.0.0.7"));

      Files.createDirectories(dir.resolve("new"));
      Files.writeString(dir.resolve("new/c.yaml"), Docs.workload("c", "127.0.0.4"));
      await().atMost(Duration.ofSeconds(10)).until(() -> address("c").equals("127.0.0.4"));

      Files.delete(dir.resolve("a.yaml"));
      await().atMost(Duration.ofSeconds(10)).until(() -> address("a").equals("absent"));
      assertThat(store.state().sources()).containsOnlyKeys("new/c.yaml");
    }
  }

  @Test
  void aBrokenEditIsRejectedAndTheLastGoodVersionStaysInForce() throws Exception {
    Files.writeString(dir.resolve("a.yaml"), Docs.workload("a", "127.0.0.2"));
    try (ConfigDirSource source = ConfigDirSource.start(dir, store)) {
      Files.writeString(dir.resolve("a.yaml"), Docs.broken("a"));
      await().atMost(Duration.ofSeconds(10)).until(() -> !store.state().failing().isEmpty());
      SourceStatus status = store.state().sources().get("a.yaml");
      assertThat(status.errors()).singleElement().asString()
          .startsWith("a.yaml[0]: Workload default/a: spec.adresses");
      assertThat(address("a")).isEqualTo("127.0.0.2");

      Files.writeString(dir.resolve("a.yaml"), Docs.workload("a", "127.0.0.5"));
      await().atMost(Duration.ofSeconds(10)).until(() -> address("a").equals("127.0.0.5"));
      assertThat(store.state().failing()).isEmpty();
    }
  }
}
