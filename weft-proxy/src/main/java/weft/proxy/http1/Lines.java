package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.ByteProcessor;

/**
 * Finds CRLF-terminated lines for both HTTP/1 decoders, under a byte budget for a whole section
 * (start line plus headers, or trailers), remembering how far an incomplete line was already
 * searched. Only CRLF ends a line (RFC 9112 §2.2: bare CR is invalid; a bare LF is rejected rather
 * than accepted, since other parsers disagree on it). One per decoder; event-loop confined.
 */
final class Lines {
  static final int INCOMPLETE = -1;
  /** A bare CR or bare LF. */
  static final int INVALID = -2;
  /** Over the budget, whether or not the line is complete. */
  static final int TOO_LONG = -3;

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

  /**
   * A line of the current section: its length without CRLF, or INCOMPLETE, INVALID or TOO_LONG;
   * counts it against the section budget. Does not consume.
   */
  int find(ByteBuf in) {
    int len = find(in, sectionBudget - sectionBytes);
    if (len >= 0) {
      sectionBytes += len + 2;
    }
    return len;
  }

  /**
   * A line of at most {@code maxLen} bytes with its CRLF: its length without CRLF, or INCOMPLETE,
   * INVALID or TOO_LONG; does not count it. Does not consume.
   */
  int find(ByteBuf in, int maxLen) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    int from = start + scanned;
    int i = from < end ? in.forEachByte(from, end - from, ByteProcessor.FIND_CRLF) : -1;
    if (i < 0) {
      scanned = end - start;
      return scanned + 2 > maxLen ? TOO_LONG : INCOMPLETE;
    }
    // the length check comes first so that the verdict never depends on how bytes were split
    int len = i - start;
    if (len + 2 > maxLen) {
      return TOO_LONG;
    }
    if (in.getByte(i) == '\n') {
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
