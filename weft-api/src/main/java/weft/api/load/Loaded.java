package weft.api.load;

import java.util.Objects;
import weft.api.Resource;

/** A decoded resource and the document it came from. */
public record Loaded(Resource resource, SourceRef source) {
  public Loaded {
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(source, "source");
  }
}
