package weft.proxy.http;

/**
 * Envoy's {@code normalize_path} (RFC 3986 §6: percent-encoding of unreserved characters decoded,
 * hex upper-cased, dot segments removed per §5.2.4) and {@code merge_slashes}. Works on the path
 * only; the query is kept verbatim. Returns null for a path that cannot be normalised.
 */
final class PathNormalizer {
  private PathNormalizer() {}

  static String normalize(String pathAndQuery, boolean normalize, boolean mergeSlashes) {
    int q = pathAndQuery.indexOf('?');
    String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
    String query = q < 0 ? "" : pathAndQuery.substring(q);
    if (normalize) {
      path = decodeUnreserved(path);
      if (path == null) {
        return null;
      }
      path = removeDotSegments(path);
    }
    if (mergeSlashes && path.contains("//")) {
      StringBuilder sb = new StringBuilder(path.length());
      char prev = 0;
      for (int i = 0; i < path.length(); i++) {
        char c = path.charAt(i);
        if (c == '/' && prev == '/') {
          continue;
        }
        sb.append(c);
        prev = c;
      }
      path = sb.toString();
    }
    return path + query;
  }

  private static String decodeUnreserved(String p) {
    if (p.indexOf('%') < 0) {
      return p;
    }
    StringBuilder sb = new StringBuilder(p.length());
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c != '%') {
        sb.append(c);
        continue;
      }
      if (i + 2 >= p.length()) {
        return null;
      }
      int hi = Character.digit(p.charAt(i + 1), 16);
      int lo = Character.digit(p.charAt(i + 2), 16);
      if (hi < 0 || lo < 0) {
        return null;
      }
      char d = (char) (hi * 16 + lo);
      if (Character.isLetterOrDigit(d) && d < 128 || d == '-' || d == '.' || d == '_' || d == '~') {
        sb.append(d);
      } else {
        sb.append('%').append(Character.toUpperCase(p.charAt(i + 1)))
            .append(Character.toUpperCase(p.charAt(i + 2)));
      }
      i += 2;
    }
    return sb.toString();
  }

  /** RFC 3986 §5.2.4, with backslashes left alone (Envoy does not translate them by default). */
  static String removeDotSegments(String in) {
    if (!in.contains(".")) {
      return in;
    }
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    String[] segs = in.split("/", -1);
    // segs[0] is "" for an absolute path
    for (int i = 1; i < segs.length; i++) {
      String s = segs[i];
      boolean last = i == segs.length - 1;
      if (s.equals(".")) {
        if (last) {
          out.addLast("");
        }
      } else if (s.equals("..")) {
        out.pollLast();
        if (last) {
          out.addLast("");
        }
      } else {
        out.addLast(s);
      }
    }
    StringBuilder sb = new StringBuilder(in.length());
    for (String s : out) {
      sb.append('/').append(s);
    }
    return sb.length() == 0 ? "/" : sb.toString();
  }
}
