package weft.proxy.http1;

import weft.proxy.http1.Http1Request.TargetForm;

/**
 * A request-target classified by its RFC 9112 §3.2 form and split into the parts a proxy needs.
 *
 * @param uri what the request carries on: origin-form path and query, "*", or CONNECT's authority
 * @param scheme lower-case scheme of an absolute-form target, else null
 * @param authority host[:port] of an absolute-form or authority-form target, else null
 */
record RequestTarget(TargetForm form, String uri, String scheme, String authority) {

  /**
   * Classifies {@code raw}, whose bytes are already known to be request-target characters (VCHAR
   * except '#'). Returns null when the target is not valid for the method.
   */
  static RequestTarget parse(String raw, boolean connect, boolean options) {
    if (connect) {
      // RFC 9112 §3.2.3: CONNECT takes only authority-form, uri-host ":" port
      return isAuthority(raw, 0, raw.length(), true)
          ? new RequestTarget(TargetForm.AUTHORITY, raw, null, raw)
          : null;
    }
    char first = raw.charAt(0);
    if (first == '/') {
      return new RequestTarget(TargetForm.ORIGIN, raw, null, null);
    }
    if (first == '*') {
      // RFC 9112 §3.2.4: asterisk-form is only "*" and only for OPTIONS
      return raw.length() == 1 && options
          ? new RequestTarget(TargetForm.ASTERISK, raw, null, null)
          : null;
    }
    return parseAbsolute(raw);
  }

  /** RFC 9112 §3.2.2 absolute-form; only http and https (RFC 9110 §4.2) are proxied. */
  private static RequestTarget parseAbsolute(String raw) {
    int colon = raw.indexOf("://");
    if (colon <= 0) {
      return null;
    }
    String scheme = raw.substring(0, colon).toLowerCase(java.util.Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      return null;
    }
    int hostStart = colon + 3;
    int hostEnd = hostStart;
    while (hostEnd < raw.length() && raw.charAt(hostEnd) != '/' && raw.charAt(hostEnd) != '?') {
      hostEnd++;
    }
    // RFC 9110 §4.2.1: an http(s) URI with an empty host is invalid; userinfo ('@') fails the
    // host syntax too, which RFC 9110 §4.2.4 lets a recipient treat as an error
    if (hostEnd == hostStart || !isAuthority(raw, hostStart, hostEnd, false)) {
      return null;
    }
    String rest = raw.substring(hostEnd);
    String uri = rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest;
    return new RequestTarget(TargetForm.ABSOLUTE, uri, scheme, raw.substring(hostStart, hostEnd));
  }

  /**
   * RFC 9110 §7.2 / RFC 3986 §3.2.2: {@code uri-host [ ":" port ]} over {@code s[from, to)}; the
   * port is required when {@code portRequired} (CONNECT).
   */
  static boolean isAuthority(CharSequence s, int from, int to, boolean portRequired) {
    int i = from;
    if (i < to && s.charAt(i) == '[') {
      // IP-literal: IPv6address / IPvFuture, checked for its alphabet only
      i++;
      int start = i;
      while (i < to && s.charAt(i) != ']') {
        char c = s.charAt(i);
        if (c > 0x7f || !(HttpChars.isRegNameChar(c) || c == ':') || c == '%') {
          return false;
        }
        i++;
      }
      if (i == to || i == start) {
        return false;
      }
      i++;
    } else {
      while (i < to && s.charAt(i) != ':') {
        char c = s.charAt(i);
        if (c > 0x7f || !HttpChars.isRegNameChar(c)) {
          return false;
        }
        if (c == '%'
            && (i + 2 >= to
                || HttpChars.hexValue(s.charAt(i + 1)) < 0
                || HttpChars.hexValue(s.charAt(i + 2)) < 0)) {
          return false;
        }
        i++;
      }
      if (portRequired && i == from) {
        return false;
      }
    }
    if (i == to) {
      return !portRequired;
    }
    if (s.charAt(i) != ':') {
      return false;
    }
    int digits = to - i - 1;
    if (digits > 5 || (portRequired && digits == 0)) {
      return false;
    }
    int port = 0;
    for (int j = i + 1; j < to; j++) {
      char c = s.charAt(j);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    return port <= 65535;
  }
}
