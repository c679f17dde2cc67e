package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds CRLF-terminated lines for the response decoder, under a byte budget for a whole section
 * (status line plus headers, or trailers), remembering how far an incomplete line was already
 * searched. Same rules as the request decoder's: only CRLF ends a line; bare CR and bare LF are
 * errors (RFC 9112 §2.2). One per decoder; event-loop confined.
 */
final class Lines {
  static final int INCOMPLETE = -1;
  static final int INVALID = -2;

  private final int sectionBudget;
  /** Bytes after the reader index already searched for a line end without finding one. */
  private int scanned;
  /** Bytes of the current section so far. */
  private int sectionBytes;

  Lines(int sectionBudget) {
    this.sectionBudget = sectionBudget;
  }

  /** Starts a new section (the next head or trailer block). */
  void reset() {
    sectionBytes = 0;
    scanned = 0;
  }

  /** A line of the current section: its length without CRLF, INCOMPLETE or INVALID; counts it. */
  int find(ByteBuf in) {
    int len = find(in, sectionBudget - sectionBytes);
    if (len >= 0) {
      sectionBytes += len + 2;
    }
    return len;
  }

  /** A line of at most {@code maxLen} bytes with its CRLF; does not count it. Does not consume. */
  int find(ByteBuf in, int maxLen) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int from = start + scanned;
    int i = from < end ? in.forEachByte(from, end - from, ByteProcessor.FIND_CRLF) : -1;
    if (i < 0) {
      scanned = end - start;
      return scanned + 2 > maxLen ? INVALID : INCOMPLETE;
    }
    int len = i - start;
    if (len + 2 > maxLen || in.getByte(i) == '\n') {
      return INVALID;
    }
    if (i + 1 == end) {
      scanned = len;
      return INCOMPLETE;
    }
    if (in.getByte(i + 1) != '\n') {
      return INVALID;
    }
    scanned = 0;
    return len;
  }
}
