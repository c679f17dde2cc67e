package weft.api.load;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a document came from: {@code file[document]}, or {@code file[document].items[i]} for an
 * item of a {@code kind: List}. Indexes are 0-based and count non-empty documents (JSON: top-level
 * values, or the elements of a top-level array).
 *
 * @param file the file, as given or as found under a given directory
 * @param document the document index, or -1 when the problem concerns the whole file
 * @param item the index in the List's {@code items}, if the resource is a List item
 */
public record SourceRef(Path file, int document, Optional<Integer> item) {
  public SourceRef {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(item, "item");
  }

  static SourceRef wholeFile(Path file) {
    return new SourceRef(file, -1, Optional.empty());
  }

  static SourceRef document(Path file, int document) {
    return new SourceRef(file, document, Optional.empty());
  }

  SourceRef item(int i) {
    return new SourceRef(file, document, Optional.of(i));
  }

  @Override
  public String toString() {
    return file + (document >= 0 ? "[" + document + "]" : "") + item.map(i -> ".items[" + i + "]").orElse("");
  }
}
