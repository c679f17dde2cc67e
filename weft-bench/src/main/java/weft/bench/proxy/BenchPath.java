package weft.bench.proxy;

import java.util.Locale;

/**
 * The paths {@code weft bench proxy} can measure, in the order it measures them. Peers (HAProxy,
 * nginx) run only when installed; the mTLS path also measures new-handshake throughput.
 */
public enum BenchPath {
  DIRECT("direct", "straight to the backend"),
  HAPROXY("haproxy", "one HAProxy hop, nbthread 1"),
  NGINX("nginx", "one nginx reverse-proxy hop, 1 worker"),
  WEFT("weft", "one weft hop, --concurrency 1"),
  WEFT_C2("weft-c2", "one weft hop, --concurrency 2"),
  WEFT_MTLS("weft-mtls", "two weft hops with mTLS (client sidecar -> server sidecar) and new-handshake rate");

  private final String flag;
  private final String description;

  BenchPath(String flag, String description) {
    this.flag = flag;
    this.description = description;
  }

  /** The name used on the command line ({@code --paths direct,weft}). */
  public String flag() {
    return flag;
  }

  public String description() {
    return description;
  }

  /** The path named {@code flag}; IllegalArgumentException listing the names when there is none. */
  public static BenchPath of(String flag) {
    String f = flag.trim().toLowerCase(Locale.ROOT);
    for (BenchPath p : values()) {
      if (p.flag.equals(f)) {
        return p;
      }
    }
    StringBuilder names = new StringBuilder();
    for (BenchPath p : values()) {
      names.append(names.isEmpty() ? "" : ", ").append(p.flag);
    }
    throw new IllegalArgumentException("unknown path '" + flag + "' (expected one of: " + names + ")");
  }
}
