package weft.api.load;

import java.util.List;
import java.util.Set;
import weft.api.ResourceKey;
import weft.api.ResourceSet;

/**
 * Everything a load produced: every valid resource and every problem. One bad document never hides
 * the others; a bad resource is left out, and its key (when its kind and name could be read) is in
 * {@link #rejected()} so a caller can keep that resource's last good version in force.
 *
 * @param loaded valid resources with their sources, in file and document order, keys unique
 * @param errors every problem, in file and document order
 * @param rejected keys of resources that were named but invalid
 */
public record LoadResult(List<Loaded> loaded, List<LoadError> errors, Set<ResourceKey> rejected) {
  public LoadResult {
    loaded = List.copyOf(loaded);
    errors = List.copyOf(errors);
    rejected = Set.copyOf(rejected);
  }

  public boolean ok() {
    return errors.isEmpty();
  }

  /** The valid resources, indexed. */
  public ResourceSet resources() {
    return ResourceSet.of(loaded.stream().map(Loaded::resource).toList());
  }

  /** Every error, one per line, as users read them. */
  public String errorReport() {
    StringBuilder sb = new StringBuilder();
    errors.forEach(e -> sb.append(e).append('\n'));
    return sb.toString();
  }
}
