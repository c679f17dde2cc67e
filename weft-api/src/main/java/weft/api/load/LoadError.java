package weft.api.load;

import java.util.Objects;

/**
 * One problem found while loading: prints as {@code policies/jobs.yaml[2]: CiliumNetworkPolicy
 * default/l7-jobs: spec.ingress[0].toPorts[0].rules.http[1].path: invalid regex "(": missing
 * closing )}.
 *
 * @param source file and document
 * @param resource {@code Kind namespace/name} as far as known ({@code Kind} alone without a name),
 *     or empty when the document's kind is unknown
 * @param path the field path inside the document; empty for the whole document
 * @param message lower-case, names the value and what was expected
 */
public record LoadError(SourceRef source, String resource, String path, String message) {
  public LoadError {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(resource, "resource");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder().append(source).append(": ");
    if (!resource.isEmpty()) {
      sb.append(resource).append(": ");
    }
    if (!path.isEmpty()) {
      sb.append(path).append(": ");
    }
    return sb.append(message).toString();
  }
}
