package weft.proxy.http1;

import io.netty.util.AsciiString;
import java.util.List;

/**
 * RFC 9112 §6.1, §6.3 and §7: judges a request's Transfer-Encoding field lines. The only coding a
 * request may use here is {@code chunked}, once and last; anything else would let two parsers frame
 * the body differently. Statuses follow Envoy, which answers 501 for every value other than {@code
 * chunked}, where RFC 9112 §6.3 would say 400 for a chunked that is not final or repeated.
 */
final class TransferCodings {
  private TransferCodings() {}

  static final int CHUNKED = 0;

  /** Malformed, empty, chunked not final or repeated (RFC 9112 §6.3 item 4, §7.1). */
  static final int MALFORMED = 1;

  /** chunked preceded by another coding we do not implement (RFC 9112 §6.1). */
  static final int NOT_IMPLEMENTED = 2;

  private static final AsciiString CHUNKED_NAME = AsciiString.cached("chunked");

  static int judge(List<AsciiString> values) {
    int codings = 0;
    int chunked = 0;
    boolean lastIsChunked = false;
    for (AsciiString value : values) {
      int i = 0;
      int len = value.length();
      while (i <= len) {
        int comma = value.indexOf(',', i);
        int end = comma < 0 ? len : comma;
        int s = i;
        int e = end;
        while (s < e && HttpChars.isOws(value.byteAt(s))) {
          s++;
        }
        while (e > s && HttpChars.isOws(value.byteAt(e - 1))) {
          e--;
        }
        // RFC 9110 §5.6.1: empty list elements are ignored
        if (e > s) {
          for (int k = s; k < e; k++) {
            if (!HttpChars.isTchar(value.byteAt(k))) {
              // parameters or stray bytes: chunked takes no parameters and others are refused
              return MALFORMED;
            }
          }
          codings++;
          lastIsChunked = CHUNKED_NAME.contentEqualsIgnoreCase(value.subSequence(s, e, false));
          if (lastIsChunked) {
            chunked++;
          }
        }
        i = end + 1;
      }
    }
    if (codings == 0 || !lastIsChunked || chunked > 1) {
      return MALFORMED;
    }
    return codings == 1 ? CHUNKED : NOT_IMPLEMENTED;
  }
}
