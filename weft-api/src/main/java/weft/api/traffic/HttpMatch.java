package weft.api.traffic;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import weft.api.meta.SortedMaps;

/**
 * One {@code HTTPMatchRequest}: every condition set must hold (AND).
 *
 * @param name the match's name, if any
 * @param uri the path match
 * @param method the method match
 * @param headers header name (lower-case) -> match
 * @param ignoreUriCase match {@code uri} case-insensitively
 */
public record HttpMatch(
    Optional<String> name,
    Optional<StringMatch> uri,
    Optional<StringMatch> method,
    Map<String, StringMatch> headers,
    boolean ignoreUriCase) {
  public HttpMatch {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(uri, "uri");
    Objects.requireNonNull(method, "method");
    headers = SortedMaps.copyOf(headers);
  }
}
