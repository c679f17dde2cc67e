package weft.proxy.http1;

import io.netty.buffer.ByteBuf;

/** RFC 9112 §7.1 and §7.1.1: a chunk-size line, {@code chunk-size [ chunk-ext ]}. */
final class ChunkLine {
  private ChunkLine() {}

  /**
   * The chunk size of the line {@code in[start, start+len)} (without CRLF), or -1 when the line is
   * malformed or the size does not fit in a long. Extensions are checked and ignored (§7.1.1: a
   * recipient MUST ignore unrecognized chunk extensions).
   */
  static long parse(ByteBuf in, int start, int len) {
    int end = start + len;
    int i = start;
    long size = 0;
    while (i < end) {
      int d = HttpChars.hexValue(in.getByte(i));
      if (d < 0) {
        break;
      }
      // §7.1: recipients MUST anticipate large hexadecimal numerals and prevent overflow
      if ((size >>> 59) != 0) {
        return -1;
      }
      size = (size << 4) | d;
      i++;
    }
    if (i == start) {
      return -1;
    }
    // chunk-ext = *( BWS ";" BWS chunk-ext-name [ BWS "=" BWS chunk-ext-val ] )
    while (i < end) {
      i = skipOws(in, i, end);
      if (i == end || in.getByte(i) != ';') {
        return -1;
      }
      i = skipOws(in, i + 1, end);
      int nameStart = i;
      i = skipToken(in, i, end);
      if (i == nameStart) {
        return -1;
      }
      int eq = skipOws(in, i, end);
      if (eq < end && in.getByte(eq) == '=') {
        i = skipOws(in, eq + 1, end);
        if (i < end && in.getByte(i) == '"') {
          i = skipQuotedString(in, i, end);
          if (i < 0) {
            return -1;
          }
        } else {
          int valueStart = i;
          i = skipToken(in, i, end);
          if (i == valueStart) {
            return -1;
          }
        }
      }
    }
    return size;
  }

  private static int skipOws(ByteBuf in, int i, int end) {
    while (i < end && HttpChars.isOws(in.getByte(i))) {
      i++;
    }
    return i;
  }

  private static int skipToken(ByteBuf in, int i, int end) {
    while (i < end && HttpChars.isTchar(in.getByte(i))) {
      i++;
    }
    return i;
  }

  /** RFC 9110 §5.6.4: returns the index after the closing quote, or -1. */
  private static int skipQuotedString(ByteBuf in, int i, int end) {
    i++;
    while (i < end) {
      byte b = in.getByte(i);
      if (b == '"') {
        return i + 1;
      }
      if (b == '\\') {
        // quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
        if (i + 1 == end) {
          return -1;
        }
        byte c = in.getByte(i + 1);
        if (!HttpChars.isFieldVchar(c) && !HttpChars.isOws(c)) {
          return -1;
        }
        i += 2;
      } else if (HttpChars.isQdtext(b)) {
        i++;
      } else {
        return -1;
      }
    }
    return -1;
  }
}
