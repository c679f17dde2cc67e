package weft.proxy.http1;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Locale;

/**
 * The codec-level part of hop-by-hop handling, as Envoy's HTTP/1 codec does it before any filter
 * sees the request ({@code Utility::sanitizeConnectionHeader} and the h2c upgrade removal).
 */
final class ConnectionHeader {
  private ConnectionHeader() {}

  static final Http1ProtocolError REJECTED =
      new Http1ProtocolError(400, "http1.connection_header_rejected");

  /** Envoy refuses a Connection header with this many tokens or more. */
  private static final int MAX_TOKENS = 10;

  private static final int MAX_TE_LENGTH = 256;

  /**
   * Removes h2c upgrade headers (weft does not upgrade HTTP/1.1 to h2c; Envoy strips them, so the
   * upstream never switches protocols under the proxy) and the fields the Connection header
   * nominates, keeping the tokens that steer the connection (close, keep-alive, upgrade). Nominated
   * framing fields stay: the decoder already framed the body by them and the emitted head must
   * describe that body. Returns {@link #REJECTED} for nominations Envoy refuses.
   */
  static Http1ProtocolError sanitize(HttpHeaders headers) {
    String upgrade = headers.get(HttpHeaderNames.UPGRADE);
    boolean h2c = upgrade != null && upgrade.trim().equalsIgnoreCase("h2c");
    if (h2c) {
      headers.remove(HttpHeaderNames.UPGRADE);
      headers.remove(HeaderNames.HTTP2_SETTINGS);
    }
    List<String> values = headers.getAll(HttpHeaderNames.CONNECTION);
    if (values.isEmpty()) {
      return null;
    }
    if (values.size() == 1) {
      // the common case, "keep-alive" or "close" alone, needs no rewriting
      String only = values.get(0);
      if (only.equalsIgnoreCase("keep-alive") || only.equalsIgnoreCase("close")) {
        return null;
      }
    }
    StringBuilder kept = new StringBuilder();
    boolean changed = values.size() > 1;
    int tokens = 0;
    for (String value : values) {
      for (String element : value.split(",", -1)) {
        String token = element.strip();
        if (token.isEmpty()) {
          changed = true;
          continue;
        }
        if (++tokens >= MAX_TOKENS || !isToken(token)) {
          return REJECTED;
        }
        String lower = token.toLowerCase(Locale.ROOT);
        boolean keep;
        switch (lower) {
          case "close", "keep-alive" -> keep = true;
          case "upgrade", "http2-settings" -> keep = !h2c;
          case "connection", "content-length", "transfer-encoding" -> keep = false;
          // nominating these could hide the client's address or the routed host from the
          // upstream (Envoy rejects the X-Forwarded-* ones; Host would vanish after routing)
          case "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "host" -> {
            return REJECTED;
          }
          case "te" -> {
            keep = false;
            String te = headers.get(HttpHeaderNames.TE);
            if (te != null) {
              if (te.length() >= MAX_TE_LENGTH) {
                return REJECTED;
              }
              if (hasToken(te, "trailers")) {
                headers.set(HttpHeaderNames.TE, "trailers");
              } else {
                headers.remove(HttpHeaderNames.TE);
              }
            }
          }
          default -> {
            keep = false;
            headers.remove(lower);
          }
        }
        if (keep) {
          if (!kept.isEmpty()) {
            kept.append(", ");
          }
          kept.append(lower);
        }
        changed |= !keep;
      }
    }
    if (changed) {
      if (kept.isEmpty()) {
        headers.remove(HttpHeaderNames.CONNECTION);
      } else {
        headers.set(HttpHeaderNames.CONNECTION, kept.toString());
      }
    }
    return null;
  }

  static boolean hasToken(String list, String token) {
    for (String element : list.split(",", -1)) {
      if (element.strip().equalsIgnoreCase(token)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isToken(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0x7f || !HttpChars.isTchar(c)) {
        return false;
      }
    }
    return true;
  }
}
