package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;

/**
 * Maps a method token to a shared {@link HttpMethod} without allocating, and knows which methods
 * Envoy's HTTP/1 parser accepts when {@code allow_custom_methods} is false (the http-parser list).
 */
final class KnownMethods {
  private KnownMethods() {}

  private static final HttpMethod[] METHODS = {
    HttpMethod.GET,
    HttpMethod.POST,
    HttpMethod.PUT,
    HttpMethod.DELETE,
    HttpMethod.HEAD,
    HttpMethod.OPTIONS,
    HttpMethod.PATCH,
    HttpMethod.TRACE,
    HttpMethod.CONNECT,
    m("ACL"),
    m("BIND"),
    m("CHECKOUT"),
    m("COPY"),
    m("LINK"),
    m("LOCK"),
    m("M-SEARCH"),
    m("MERGE"),
    m("MKACTIVITY"),
    m("MKCALENDAR"),
    m("MKCOL"),
    m("MOVE"),
    m("MSEARCH"),
    m("NOTIFY"),
    m("PROPFIND"),
    m("PROPPATCH"),
    m("PURGE"),
    m("REBIND"),
    m("REPORT"),
    m("SEARCH"),
    m("SOURCE"),
    m("SUBSCRIBE"),
    m("UNBIND"),
    m("UNLINK"),
    m("UNLOCK"),
    m("UNSUBSCRIBE")
  };

  private static HttpMethod m(String name) {
    return new HttpMethod(name);
  }

  /**
   * The method named by {@code in[from, from+len)}, a non-empty token (methods are case-sensitive),
   * or null when it is not a known method and custom ones are not allowed.
   */
  static HttpMethod lookup(ByteBuf in, int from, int len, boolean allowCustom) {
    for (HttpMethod m : METHODS) {
      if (m.asciiName().length() != len) {
        continue;
      }
      byte[] name = m.asciiName().array();
      int off = m.asciiName().arrayOffset();
      int i = 0;
      while (i < len && in.getByte(from + i) == name[off + i]) {
        i++;
      }
      if (i == len) {
        return m;
      }
    }
    return allowCustom
        ? HttpMethod.valueOf(in.toString(from, len, StandardCharsets.ISO_8859_1))
        : null;
  }
}
