package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.util.AsciiString;

/**
 * Lower-case header names the decoders recognise without allocating: frequent request and response
 * headers are shared {@link AsciiString} constants, and the ones that steer framing, routing or hop-by-hop
 * handling get an id the decoder switches on.
 */
final class HeaderNames {
  private HeaderNames() {}

  static final int OTHER = 0;
  static final int HOST = 1;
  static final int CONTENT_LENGTH = 2;
  static final int TRANSFER_ENCODING = 3;
  static final int CONNECTION = 4;
  static final int UPGRADE = 5;
  static final int TRAILER = 6;

  static final AsciiString HTTP2_SETTINGS = AsciiString.cached("http2-settings");

  private static final AsciiString[] NAMES = {
    HttpHeaderNames.HOST,
    HttpHeaderNames.CONTENT_LENGTH,
    HttpHeaderNames.TRANSFER_ENCODING,
    HttpHeaderNames.CONNECTION,
    HttpHeaderNames.UPGRADE,
    HttpHeaderNames.TRAILER,
    HttpHeaderNames.USER_AGENT,
    HttpHeaderNames.ACCEPT,
    HttpHeaderNames.ACCEPT_ENCODING,
    HttpHeaderNames.ACCEPT_LANGUAGE,
    HttpHeaderNames.CONTENT_TYPE,
    HttpHeaderNames.COOKIE,
    HttpHeaderNames.AUTHORIZATION,
    HttpHeaderNames.CACHE_CONTROL,
    HttpHeaderNames.EXPECT,
    HttpHeaderNames.TE,
    HttpHeaderNames.KEEP_ALIVE,
    HttpHeaderNames.PROXY_CONNECTION,
    HttpHeaderNames.ORIGIN,
    HttpHeaderNames.REFERER,
    HttpHeaderNames.X_REQUESTED_WITH,
    AsciiString.cached("x-forwarded-for"),
    AsciiString.cached("x-forwarded-proto"),
    AsciiString.cached("x-request-id"),
    HTTP2_SETTINGS,
    // frequent in upstream responses (Http1ResponseDecoder): no lower-cased copy of the name
    HttpHeaderNames.SERVER,
    HttpHeaderNames.DATE,
    HttpHeaderNames.LAST_MODIFIED,
    HttpHeaderNames.ETAG,
    HttpHeaderNames.VARY,
    HttpHeaderNames.SET_COOKIE,
    HttpHeaderNames.LOCATION,
    HttpHeaderNames.CONTENT_ENCODING,
    HttpHeaderNames.ACCEPT_RANGES,
    HttpHeaderNames.EXPIRES,
    HttpHeaderNames.AGE,
  };
  private static final int[] IDS = {
    HOST, CONTENT_LENGTH, TRANSFER_ENCODING, CONNECTION, UPGRADE, TRAILER
  };

  /**
   * The index in the known-name table of {@code buf[from, from+len)} compared case-insensitively,
   * or -1.
   */
  static int lookup(ByteBuf buf, int from, int len) {
    for (int n = 0; n < NAMES.length; n++) {
      AsciiString name = NAMES[n];
      if (name.length() != len) {
        continue;
      }
      int i = 0;
      while (i < len && HttpChars.toLower(buf.getByte(from + i)) == name.byteAt(i)) {
        i++;
      }
      if (i == len) {
        return n;
      }
    }
    return -1;
  }

  static AsciiString name(int index) {
    return NAMES[index];
  }

  /** The id of a known-name index, {@link #OTHER} for names the decoder does not act on. */
  static int id(int index) {
    return index >= 0 && index < IDS.length ? IDS[index] : OTHER;
  }
}
