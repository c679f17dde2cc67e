package weft.controlplane.store;

import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import weft.api.ResourceKey;
import weft.api.ResourceSet;

/**
 * One immutable view of the store: what is in force and how each source stands.
 *
 * @param revision increases by one each time {@code resources} changes (never for status-only
 *     changes), starting at 0 for the empty store
 * @param resources the merged resources of every source
 * @param sources per source name, its status, in name order
 * @param owners which source each resource in force came from
 */
public record StoreState(
    long revision,
    ResourceSet resources,
    SortedMap<String, SourceStatus> sources,
    Map<ResourceKey, String> owners) {
  public StoreState {
    Objects.requireNonNull(resources, "resources");
    sources = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sources));
    owners = Map.copyOf(owners);
  }

  static StoreState empty() {
    return new StoreState(0, ResourceSet.empty(), new TreeMap<>(), Map.of());
  }

  /** The sources whose latest version was refused or conflicts. */
  public SortedMap<String, SourceStatus> failing() {
    TreeMap<String, SourceStatus> out = new TreeMap<>();
    sources.forEach((name, s) -> {
      if (!s.ok()) {
        out.put(name, s);
      }
    });
    return out;
  }
}
