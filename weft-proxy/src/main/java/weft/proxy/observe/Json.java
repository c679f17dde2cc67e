package weft.proxy.observe;

/** The one JSON primitive the stats and access-log writers need: a quoted, escaped string. */
final class Json {
  private Json() {}

  static void string(StringBuilder sb, CharSequence s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          if (c < 0x20) {
            sb.append("\\u00");
            sb.append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
