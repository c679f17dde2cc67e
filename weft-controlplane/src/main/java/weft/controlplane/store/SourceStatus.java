package weft.controlplane.store;

import java.util.List;
import java.util.Objects;

/**
 * How one source (a file under the config dir, or {@code api}) stands.
 *
 * @param ok whether the source's latest version was accepted whole
 * @param errors why its latest version was refused, or which of its resources conflict with another
 *     source's; empty when ok
 * @param lastGoodRevision the store revision at which this source's content last changed what is in
 *     force (0: never accepted)
 */
public record SourceStatus(boolean ok, List<String> errors, long lastGoodRevision) {
  public SourceStatus {
    errors = List.copyOf(errors);
    if (ok != errors.isEmpty()) {
      throw new IllegalArgumentException("ok: " + ok + " with " + errors.size() + " errors");
    }
  }

  static SourceStatus good(long lastGoodRevision) {
    return new SourceStatus(true, List.of(), lastGoodRevision);
  }

  static SourceStatus failed(List<String> errors, long lastGoodRevision) {
    Objects.requireNonNull(errors, "errors");
    return new SourceStatus(false, errors, lastGoodRevision);
  }
}
