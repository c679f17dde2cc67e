package weft.api.meta;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Immutable, key-sorted copies of maps. Model records use them so that iteration order (and hence
 * printed output, identity hashing and test expectations) is deterministic, while equality stays
 * {@link Map#equals}.
 */
public final class SortedMaps {
  private SortedMaps() {}

  public static <K extends Comparable<K>, V> SortedMap<K, V> copyOf(Map<K, V> map) {
    TreeMap<K, V> copy = new TreeMap<>();
    map.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, "value")));
    return Collections.unmodifiableSortedMap(copy);
  }
}
