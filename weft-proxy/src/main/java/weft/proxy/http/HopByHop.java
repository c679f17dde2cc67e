package weft.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http2.HttpConversionUtil.ExtensionHeaderNames;
import io.netty.util.AsciiString;

/**
 * Removes connection-specific headers before forwarding (RFC 9110 §7.6.1): {@code connection} and
 * every header it names, {@code keep-alive}, {@code proxy-connection}, {@code transfer-encoding}
 * (framing is re-derived per hop), {@code te} except {@code trailers}, and {@code upgrade} unless
 * the stream is an accepted upgrade. Also drops Netty's HTTP/2 conversion headers.
 */
final class HopByHop {
  private HopByHop() {}

  /** Strips hop-by-hop headers in place. */
  static void strip(HttpHeaders h, boolean keepUpgrade) {
    // runs twice per request: header names are AsciiString constants (hashed once, not per call)
    // and the common "keep-alive" value is not split (it names a header removed below anyway)
    if (h.contains(HttpHeaderNames.CONNECTION)) {
      // values as stored (no String copies) until one has to be split
      for (var it = h.valueCharSequenceIterator(HttpHeaderNames.CONNECTION); it.hasNext(); ) {
        CharSequence value = it.next();
        if (!AsciiString.contentEqualsIgnoreCase(value, HttpHeaderValues.KEEP_ALIVE)) {
          removeNamed(h, value.toString(), keepUpgrade);
        }
      }
    }
    h.remove(HttpHeaderNames.CONNECTION);
    h.remove(HttpHeaderNames.KEEP_ALIVE);
    h.remove(HttpHeaderNames.PROXY_CONNECTION);
    h.remove(HttpHeaderNames.TRANSFER_ENCODING);
    if (!keepUpgrade) {
      h.remove(HttpHeaderNames.UPGRADE);
    } else {
      h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    }
    String te = h.get(HttpHeaderNames.TE);
    if (te != null) {
      if (te.toLowerCase(java.util.Locale.ROOT).contains("trailers")) {
        h.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
      } else {
        h.remove(HttpHeaderNames.TE);
      }
    }
    h.remove(ExtensionHeaderNames.STREAM_ID.text());
    h.remove(ExtensionHeaderNames.SCHEME.text());
    h.remove(ExtensionHeaderNames.PATH.text());
    h.remove(ExtensionHeaderNames.STREAM_PROMISE_ID.text());
    h.remove(ExtensionHeaderNames.STREAM_DEPENDENCY_ID.text());
    h.remove(ExtensionHeaderNames.STREAM_WEIGHT.text());
  }

  /** Removes the headers the connection field value {@code value} names (RFC 9110 §7.6.1). */
  private static void removeNamed(HttpHeaders h, String value, boolean keepUpgrade) {
    for (String token : value.split(",")) {
      String t = token.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (keepUpgrade && t.equalsIgnoreCase("upgrade")) {
        continue;
      }
      // never let a peer remove the framing or routing headers through connection tokens
      if (!t.equalsIgnoreCase("host") && !t.equalsIgnoreCase("content-length")) {
        h.remove(t);
      }
    }
  }
}
