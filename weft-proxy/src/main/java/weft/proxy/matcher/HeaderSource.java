package weft.proxy.matcher;

import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;

/**
 * Read access to a request's headers the way Envoy's matchers see them: names are lower-case,
 * the pseudo-headers {@code :method}, {@code :path}, {@code :authority} and {@code :scheme}
 * resolve from the request line, and several values of one header are joined with {@code ","}
 * (Envoy's {@code getAllOfHeaderAsString}).
 */
public interface HeaderSource {
  /** The value of header {@code lowerCaseName}, or null when the request has none. */
  String header(String lowerCaseName);

  /**
   * The standard resolution for implementors: pseudo-headers from the request parts, anything
   * else from {@code headers} with multiple values joined by a comma.
   */
  static String resolve(
      String lowerCaseName,
      String method,
      String authority,
      String path,
      String scheme,
      HttpHeaders headers) {
    if (!lowerCaseName.isEmpty() && lowerCaseName.charAt(0) == ':') {
      return switch (lowerCaseName) {
        case ":method" -> method;
        case ":authority" -> authority;
        case ":path" -> path;
        case ":scheme" -> scheme;
        default -> null;
      };
    }
    return joined(headers, lowerCaseName);
  }

  /** All values of {@code name} joined with {@code ","}, or null when there is none. */
  static String joined(HttpHeaders headers, String name) {
    if (headers == null) {
      return null;
    }
    // get() is allocation-free for the usual single value; only repeated headers pay for getAll
    String first = headers.get(name);
    if (first == null) {
      return null;
    }
    List<String> all = headers.getAll(name);
    return all.size() <= 1 ? first : String.join(",", all);
  }
}
