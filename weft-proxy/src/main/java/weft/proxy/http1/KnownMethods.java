package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/** Maps a method token to Netty's shared {@link HttpMethod} constants without allocating. */
final class KnownMethods {
  private KnownMethods() {}

  private static final HttpMethod[] METHODS = {
    HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.HEAD,
    HttpMethod.OPTIONS, HttpMethod.PATCH, HttpMethod.TRACE, HttpMethod.CONNECT
  };

  /** The method named by {@code in[from, from+len)}, a non-empty token (case-sensitive). */
  static HttpMethod lookup(ByteBuf in, int from, int len) {
    for (HttpMethod m : METHODS) {
      byte[] name = m.asciiName().array();
      int off = m.asciiName().arrayOffset();
      if (m.asciiName().length() != len) {
        continue;
      }
      int i = 0;
      while (i < len && in.getByte(from + i) == name[off + i]) {
        i++;
      }
      if (i == len) {
        return m;
      }
    }
    return HttpMethod.valueOf(in.toString(from, len, StandardCharsets.ISO_8859_1));
  }
}
