package weft.controlplane.ca;

import java.util.regex.Pattern;

/**
 * A SPIFFE ID as the SPIFFE ID spec (§2) allows it: {@code spiffe://<trust-domain>/<path>}, trust
 * domain of lower-case letters, digits, {@code . - _}; path segments of letters, digits, {@code . -
 * _}, none empty, {@code .} or {@code ..}; no query, fragment, port or user info. Workload IDs need a
 * path.
 */
record SpiffeId(String trustDomain, String path) {
  private static final Pattern TRUST_DOMAIN = Pattern.compile("[a-z0-9._-]{1,255}");
  private static final Pattern SEGMENT = Pattern.compile("[a-zA-Z0-9._-]+");

  static SpiffeId parse(String id) {
    if (!id.startsWith("spiffe://")) {
      throw new IllegalArgumentException("spiffe id '" + id + "': expected scheme spiffe://");
    }
    String rest = id.substring("spiffe://".length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new IllegalArgumentException(
          "spiffe id '" + id + "': expected spiffe://<trust-domain>/<path>");
    }
    String td = rest.substring(0, slash);
    if (!TRUST_DOMAIN.matcher(td).matches()) {
      throw new IllegalArgumentException("spiffe id '" + id + "': trust domain '" + td
          + "' (expected: lower-case letters, digits, '.', '-', '_')");
    }
    String path = rest.substring(slash);
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.equals(".") || segment.equals("..") || !SEGMENT.matcher(segment).matches()) {
        throw new IllegalArgumentException("spiffe id '" + id + "': path segment '" + segment
            + "' (expected: letters, digits, '.', '-', '_', not '.' or '..')");
      }
    }
    return new SpiffeId(td, path);
  }

  @Override
  public String toString() {
    return "spiffe://" + trustDomain + path;
  }
}
