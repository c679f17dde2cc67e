package weft.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.util.AsciiString;

/**
 * One parsed field line (RFC 9112 §5, RFC 9110 §5.5), header or trailer.
 *
 * @param name lower-case; a shared constant when {@code knownIndex >= 0}
 * @param value without leading and trailing whitespace; its bytes exactly as received, so obs-text
 *     survives re-encoding (Netty writes an {@link AsciiString} byte for byte)
 * @param knownIndex the name's index in {@link HeaderNames}, or -1
 * @param underscore whether the name contains '_' (Envoy's headers_with_underscores_action)
 * @param error non-null when the line is invalid; the other components are then null
 */
record FieldLine(
    AsciiString name,
    AsciiString value,
    int knownIndex,
    boolean underscore,
    Http1ProtocolError error) {
  static final Http1ProtocolError MALFORMED =
      new Http1ProtocolError(400, Http1RequestDecoder.CODEC_ERROR);
  static final Http1ProtocolError BAD_VALUE =
      new Http1ProtocolError(400, Http1RequestDecoder.INVALID_CHARACTERS);
  private static final FieldLine MALFORMED_LINE = new FieldLine(null, null, -1, false, MALFORMED);
  private static final FieldLine BAD_VALUE_LINE = new FieldLine(null, null, -1, false, BAD_VALUE);

  /** Parses {@code in[start, start+len)}, a line without its CRLF; does not move indexes. */
  static FieldLine parse(ByteBuf in, int start, int len) {
    int end = start + len;
    int i = start;
    // field-name = token, directly followed by ':' (RFC 9112 §5.1: no whitespace before the
    // colon, MUST 400). A line starting with SP/HTAB is obs-fold (§5.2) or whitespace before the
    // first field (§2.2); both are rejected, as the first byte is then no tchar.
    boolean underscore = false;
    byte b;
    while (i < end && HttpChars.isTchar(b = in.getByte(i))) {
      underscore |= b == '_';
      i++;
    }
    if (i == start || i == end || in.getByte(i) != ':') {
      return MALFORMED_LINE;
    }
    int nameLen = i - start;
    int known = HeaderNames.lookup(in, start, nameLen);
    AsciiString name = known >= 0 ? HeaderNames.name(known) : lowerCase(in, start, nameLen);
    int vs = i + 1;
    while (vs < end && HttpChars.isOws(in.getByte(vs))) {
      vs++;
    }
    int ve = end;
    while (ve > vs && HttpChars.isOws(in.getByte(ve - 1))) {
      ve--;
    }
    if (ve == vs) {
      return new FieldLine(name, AsciiString.EMPTY_STRING, known, underscore, null);
    }
    byte[] value = new byte[ve - vs];
    in.getBytes(vs, value);
    // RFC 9110 §5.5: field-value bytes are VCHAR, obs-text, SP and HTAB; NUL, other CTLs and DEL
    // are rejected (Envoy CVE-2019-9900)
    for (byte v : value) {
      if (!HttpChars.isFieldVchar(v) && !HttpChars.isOws(v)) {
        return BAD_VALUE_LINE;
      }
    }
    return new FieldLine(name, new AsciiString(value, false), known, underscore, null);
  }

  private static AsciiString lowerCase(ByteBuf in, int start, int len) {
    byte[] bytes = new byte[len];
    in.getBytes(start, bytes);
    for (int i = 0; i < len; i++) {
      bytes[i] = (byte) HttpChars.toLower(bytes[i]);
    }
    return new AsciiString(bytes, false);
  }
}
