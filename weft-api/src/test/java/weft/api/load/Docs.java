package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import weft.api.Resource;

/** Test helpers: decode YAML text and get the single resource or the error lines. */
final class Docs {
  private Docs() {}

  static LoadResult parse(String yaml) {
    return ResourceLoader.parse("test.yaml", yaml);
  }

  static <T extends Resource> T single(String yaml, Class<T> type) {
    LoadResult result = parse(yaml);
    assertThat(result.errors()).as("errors").isEmpty();
    assertThat(result.loaded()).hasSize(1);
    return type.cast(result.loaded().get(0).resource());
  }

  static List<String> errors(String yaml) {
    LoadResult result = parse(yaml);
    assertThat(result.loaded()).as("resources decoded despite errors").isEmpty();
    return result.errors().stream().map(LoadError::toString).toList();
  }
}
