package weft.api.load;

import java.util.ArrayList;
import java.util.List;

/** The problems found in one document, each at a field path. Not thread-safe: one per document. */
final class Problems {
  record Problem(FieldPath path, String message) {}

  private final List<Problem> list = new ArrayList<>();

  void add(FieldPath path, String message) {
    list.add(new Problem(path, message));
  }

  boolean isEmpty() {
    return list.isEmpty();
  }

  int size() {
    return list.size();
  }

  List<Problem> list() {
    return List.copyOf(list);
  }
}
