package weft.api.cilium;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of Cilium's {@code rules.http[].headerMatches}.
 *
 * @param name the header name
 * @param value the exact value required; empty means the header must be present
 * @param mismatch what to do when the header does not match; empty means the request is denied
 *     (with an action, the request is allowed and the action taken instead)
 */
public record HeaderMatch(String name, Optional<String> value, Optional<MismatchAction> mismatch) {
  /** Cilium's {@code MismatchAction}. */
  public enum MismatchAction {
    LOG,
    ADD,
    DELETE,
    REPLACE
  }

  public HeaderMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(mismatch, "mismatch");
  }
}
