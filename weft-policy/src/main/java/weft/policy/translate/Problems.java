package weft.policy.translate;

import java.util.ArrayList;
import java.util.List;

/** Problems found while translating, each naming the resource and field path. */
final class Problems {
  private final List<String> list = new ArrayList<>();

  void add(String resource, String path, String problem) {
    list.add(resource + ": " + path + ": " + problem);
  }

  List<String> list() {
    return List.copyOf(list);
  }
}
