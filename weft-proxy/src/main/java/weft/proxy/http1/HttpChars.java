package weft.proxy.http1;

/**
 * Byte classes of the HTTP grammar (RFC 9110 §5.6.2, §5.5, RFC 3986 §2-3), as lookup tables so the
 * decoder tests each byte with one array read.
 */
final class HttpChars {
  private HttpChars() {}

  private static final byte TCHAR = 1;
  private static final byte FIELD_VCHAR = 1 << 1;
  private static final byte TARGET = 1 << 2;
  private static final byte REG_NAME = 1 << 3;
  private static final byte QDTEXT = 1 << 4;

  private static final byte[] CLASSES = new byte[256];
  private static final byte[] HEX = new byte[256];

  static {
    for (int c = 0; c < 256; c++) {
      boolean alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      byte k = 0;
      // RFC 9110 §5.6.2: tchar
      if (alnum || "!#$%&'*+-.^_`|~".indexOf(c) >= 0) {
        k |= TCHAR;
      }
      // RFC 9110 §5.5: field-vchar = VCHAR / obs-text
      if ((c >= 0x21 && c <= 0x7e) || c >= 0x80) {
        k |= FIELD_VCHAR;
      }
      // request-target bytes: VCHAR without '#' (a fragment is never sent, RFC 9112 §3.2)
      if (c >= 0x21 && c <= 0x7e && c != '#') {
        k |= TARGET;
      }
      // RFC 3986 §3.2.2 reg-name = *( unreserved / pct-encoded / sub-delims ); '%' checked apart
      if (alnum || "-._~!$&'()*+,;=%".indexOf(c) >= 0) {
        k |= REG_NAME;
      }
      // RFC 9110 §5.6.4: qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
      if (c == '\t'
          || c == ' '
          || c == 0x21
          || (c >= 0x23 && c <= 0x5b)
          || (c >= 0x5d && c <= 0x7e)
          || c >= 0x80) {
        k |= QDTEXT;
      }
      CLASSES[c] = k;
      HEX[c] =
          (byte)
              (c >= '0' && c <= '9'
                  ? c - '0'
                  : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1);
    }
  }

  static boolean isTchar(int b) {
    return (CLASSES[b & 0xff] & TCHAR) != 0;
  }

  static boolean isFieldVchar(int b) {
    return (CLASSES[b & 0xff] & FIELD_VCHAR) != 0;
  }

  static boolean isTargetChar(int b) {
    return (CLASSES[b & 0xff] & TARGET) != 0;
  }

  static boolean isRegNameChar(int b) {
    return (CLASSES[b & 0xff] & REG_NAME) != 0;
  }

  static boolean isQdtext(int b) {
    return (CLASSES[b & 0xff] & QDTEXT) != 0;
  }

  /** The value of a hex digit, or -1. */
  static int hexValue(int b) {
    return HEX[b & 0xff];
  }

  static boolean isOws(int b) {
    return b == ' ' || b == '\t';
  }

  static int toLower(int b) {
    return b >= 'A' && b <= 'Z' ? b + 32 : b;
  }
}
