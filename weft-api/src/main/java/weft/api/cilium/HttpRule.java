package weft.api.cilium;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One {@code rules.http[]} entry; every present field must match (AND), the entries of a list are
 * ORed. Method, path and host are RE2 regexes matched against the whole value; an absent one
 * matches anything. Cilium matches {@code path} against Envoy's {@code :path}, which includes the
 * query string.
 */
public record HttpRule(
    Optional<AnchoredRegex> method,
    Optional<AnchoredRegex> path,
    Optional<AnchoredRegex> host,
    List<HttpHeader> headers,
    List<HeaderMatch> headerMatches) {
  public HttpRule {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(host, "host");
    headers = List.copyOf(headers);
    headerMatches = List.copyOf(headerMatches);
  }
}
