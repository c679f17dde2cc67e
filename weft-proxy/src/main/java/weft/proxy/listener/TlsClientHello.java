package weft.proxy.listener;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Incremental, non-consuming parser of a TLS ClientHello (RFC 8446 §4.1.2; record layer §5.1),
 * for {@link TlsInspector}: it reads the buffered bytes by absolute index and never moves the
 * reader index. A ClientHello may span several handshake records; their bodies are gathered into
 * a scratch array bounded by the maximum ClientHello size. One instance per connection, used on
 * its event loop only.
 */
final class TlsClientHello {
  enum State { NEED_MORE, NOT_TLS, TOO_LARGE, DONE }

  private static final int RECORD_HEADER = 5;
  private static final int HANDSHAKE = 22;
  private static final int CLIENT_HELLO = 1;
  private static final int EXT_SERVER_NAME = 0;
  private static final int EXT_ALPN = 16;
  private static final int MAX_RECORD = (1 << 14) + 2048;

  private final int maxSize;
  private byte[] scratch = new byte[512];
  private String serverName = "";
  private List<String> alpn = List.of();

  TlsClientHello(int maxSize) {
    this.maxSize = maxSize;
  }

  /** The SNI host name, lower-cased; "" when absent. Valid after {@link State#DONE}. */
  String serverName() {
    return serverName;
  }

  /** The ALPN protocols in the client's order; empty when absent. Valid after {@link State#DONE}. */
  List<String> alpn() {
    return alpn;
  }

  State parse(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    if (end - start < 1) {
      return State.NEED_MORE;
    }
    if (in.getUnsignedByte(start) != HANDSHAKE) {
      return State.NOT_TLS;
    }
    if (end - start >= 2 && in.getUnsignedByte(start + 1) != 3) {
      return State.NOT_TLS;
    }
    int pos = start;
    int total = 0;
    while (end - pos >= RECORD_HEADER) {
      if (in.getUnsignedByte(pos) != HANDSHAKE || in.getUnsignedByte(pos + 1) != 3) {
        return State.NOT_TLS;
      }
      int recordLength = in.getUnsignedShort(pos + 3);
      if (recordLength == 0 || recordLength > MAX_RECORD) {
        return State.NOT_TLS;
      }
      int body = pos + RECORD_HEADER;
      int available = Math.min(recordLength, end - body);
      if (total + available > maxSize + 4) {
        return State.TOO_LARGE;
      }
      ensureCapacity(total + available);
      in.getBytes(body, scratch, total, available);
      total += available;
      if (total >= 4) {
        if ((scratch[0] & 0xff) != CLIENT_HELLO) {
          return State.NOT_TLS;
        }
        int length = u24(scratch, 1);
        if (length > maxSize) {
          return State.TOO_LARGE;
        }
        if (total >= 4 + length) {
          return extensions(scratch, 4, 4 + length) ? State.DONE : State.NOT_TLS;
        }
      }
      if (available < recordLength) {
        break;
      }
      pos = body + recordLength;
    }
    return State.NEED_MORE;
  }

  private void ensureCapacity(int n) {
    if (scratch.length < n) {
      byte[] bigger = new byte[Math.min(Math.max(n, scratch.length * 2), maxSize + 4)];
      System.arraycopy(scratch, 0, bigger, 0, scratch.length);
      scratch = bigger;
    }
  }

  /** Walks the ClientHello body in b[p, end); false when it is malformed. */
  private boolean extensions(byte[] b, int p, int end) {
    p += 2 + 32; // legacy_version, random
    if (p + 1 > end) {
      return false;
    }
    p += 1 + (b[p] & 0xff); // legacy_session_id
    if (p + 2 > end) {
      return false;
    }
    p += 2 + u16(b, p); // cipher_suites
    if (p + 1 > end) {
      return false;
    }
    p += 1 + (b[p] & 0xff); // legacy_compression_methods
    if (p == end) {
      return true; // no extensions (TLS 1.2 and older may omit them)
    }
    if (p + 2 > end) {
      return false;
    }
    int extEnd = p + 2 + u16(b, p);
    p += 2;
    if (extEnd > end) {
      return false;
    }
    while (p + 4 <= extEnd) {
      int type = u16(b, p);
      int len = u16(b, p + 2);
      p += 4;
      if (p + len > extEnd) {
        return false;
      }
      if (type == EXT_SERVER_NAME && !serverName(b, p, p + len)) {
        return false;
      }
      if (type == EXT_ALPN && !alpn(b, p, p + len)) {
        return false;
      }
      p += len;
    }
    return p == extEnd;
  }

  private boolean serverName(byte[] b, int p, int end) {
    if (p + 2 > end) {
      return false;
    }
    int listEnd = p + 2 + u16(b, p);
    p += 2;
    if (listEnd > end) {
      return false;
    }
    while (p + 3 <= listEnd) {
      int nameType = b[p] & 0xff;
      int len = u16(b, p + 1);
      p += 3;
      if (p + len > listEnd) {
        return false;
      }
      if (nameType == 0) {
        // host names are case-insensitive (RFC 6066 §3); lower-case once so matching need not
        serverName = new String(b, p, len, StandardCharsets.US_ASCII).toLowerCase(java.util.Locale.ROOT);
        return true;
      }
      p += len;
    }
    return true;
  }

  private boolean alpn(byte[] b, int p, int end) {
    if (p + 2 > end) {
      return false;
    }
    int listEnd = p + 2 + u16(b, p);
    p += 2;
    if (listEnd > end) {
      return false;
    }
    List<String> protocols = new ArrayList<>(2);
    while (p < listEnd) {
      int len = b[p] & 0xff;
      p += 1;
      if (len == 0 || p + len > listEnd) {
        return false;
      }
      protocols.add(new String(b, p, len, StandardCharsets.US_ASCII));
      p += len;
    }
    alpn = List.copyOf(protocols);
    return true;
  }

  private static int u16(byte[] b, int p) {
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }

  private static int u24(byte[] b, int p) {
    return ((b[p] & 0xff) << 16) | ((b[p + 1] & 0xff) << 8) | (b[p + 2] & 0xff);
  }
}
