package weft.policy.model;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The HTTP request of a flow. Header names are lower-cased; {@code path} includes the query. */
public record HttpRequest(String method, String path, String host, Map<String, String> headers) {
  public HttpRequest {
    TreeMap<String, String> h = new TreeMap<>();
    headers.forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), v));
    headers = java.util.Collections.unmodifiableMap(h);
  }

  /** The path without the query string (what Istio's {@code paths} and Envoy's url_path see). */
  public String pathWithoutQuery() {
    int q = path.indexOf('?');
    return q < 0 ? path : path.substring(0, q);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name.toLowerCase(Locale.ROOT)));
  }
}
