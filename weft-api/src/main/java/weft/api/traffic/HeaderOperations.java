package weft.api.traffic;

import java.util.List;
import java.util.Map;
import weft.api.meta.SortedMaps;

/**
 * Istio's {@code Headers.HeaderOperations}: overwrite, append, remove.
 *
 * @param set headers to overwrite
 * @param add headers to append
 * @param remove header names to remove
 */
public record HeaderOperations(Map<String, String> set, Map<String, String> add, List<String> remove) {
  public static final HeaderOperations NONE = new HeaderOperations(Map.of(), Map.of(), List.of());

  public HeaderOperations {
    set = SortedMaps.copyOf(set);
    add = SortedMaps.copyOf(add);
    remove = List.copyOf(remove);
  }

  public boolean isEmpty() {
    return set.isEmpty() && add.isEmpty() && remove.isEmpty();
  }

  /** Request and response header operations. */
  public record Headers(HeaderOperations request, HeaderOperations response) {
    public static final Headers NONE = new Headers(HeaderOperations.NONE, HeaderOperations.NONE);

    public Headers {
      java.util.Objects.requireNonNull(request, "request");
      java.util.Objects.requireNonNull(response, "response");
    }
  }
}
