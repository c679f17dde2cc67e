package weft.api.cilium;

import java.util.Objects;
import java.util.Optional;

/**
 * One entry of Cilium's {@code rules.http[].headers}: {@code "X-Name"} requires the header to be
 * present, {@code "X-Name: value"} (or {@code "X-Name value"}) requires that exact value.
 *
 * @param name header name as written
 * @param value the exact value required, if any
 */
public record HttpHeader(String name, Optional<String> value) {
  public HttpHeader {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
  }
}
