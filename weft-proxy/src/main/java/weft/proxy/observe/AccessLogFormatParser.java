package weft.proxy.observe;

import io.netty.util.AsciiString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/** Parses Envoy's {@code %COMMAND(arg):max_len%} syntax into {@link AccessLogFormat} parts. */
final class AccessLogFormatParser {
  private AccessLogFormatParser() {}

  static List<AccessLogFormat.Part> parse(String format, ConfigPath path, ConfigProblems problems) {
    List<AccessLogFormat.Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < format.length()) {
      char c = format.charAt(i);
      if (c != '%') {
        literal.append(c);
        i++;
        continue;
      }
      int start = i++;
      int nameStart = i;
      while (i < format.length() && (isUpper(format.charAt(i)) || format.charAt(i) == '_')) {
        i++;
      }
      String name = format.substring(nameStart, i);
      String arg = null;
      if (i < format.length() && format.charAt(i) == '(') {
        int close = format.indexOf(')', i);
        if (close < 0) {
          problems.add(path, "unterminated argument of %" + name + " at position " + start);
          return parts;
        }
        arg = format.substring(i + 1, close);
        i = close + 1;
      }
      int maxLen = -1;
      if (i < format.length() && format.charAt(i) == ':') {
        int digits = ++i;
        while (i < format.length() && Character.isDigit(format.charAt(i))) {
          i++;
        }
        if (i == digits || i - digits > 9) {
          problems.add(path, "invalid max length after %" + name + " at position " + start);
          return parts;
        }
        maxLen = Integer.parseInt(format.substring(digits, i));
      }
      if (name.isEmpty() || i >= format.length() || format.charAt(i) != '%') {
        problems.add(
            path,
            "invalid access log format "
                + format.strip()
                + ": no valid command at position "
                + start);
        return parts;
      }
      i++;
      AccessLogFormat.Part part = command(name, arg, path, problems);
      if (part == null) {
        continue;
      }
      if (!literal.isEmpty()) {
        parts.add(new AccessLogFormat.Literal(literal.toString()));
        literal.setLength(0);
      }
      parts.add(maxLen >= 0 ? new AccessLogFormat.Truncated(part, maxLen) : part);
    }
    if (!literal.isEmpty()) {
      parts.add(new AccessLogFormat.Literal(literal.toString()));
    }
    return parts;
  }

  private static boolean isUpper(char c) {
    return c >= 'A' && c <= 'Z';
  }

  private static AccessLogFormat.Part command(
      String name, String arg, ConfigPath path, ConfigProblems problems) {
    switch (name) {
      case "REQ", "RESP", "TRAILER" -> {
        return header(AccessLogFormat.HeaderSource.valueOf(name), arg, path, problems);
      }
      case "START_TIME" -> {
        try {
          String f = arg == null || arg.isEmpty() ? StartTimeFormat.ENVOY_DEFAULT : arg;
          return new AccessLogFormat.StartTime(StartTimeFormat.compile(f));
        } catch (IllegalArgumentException e) {
          problems.add(path, e.getMessage());
          return null;
        }
      }
      default -> {
        LogField field;
        try {
          field = LogField.valueOf(name);
        } catch (IllegalArgumentException e) {
          problems.add(path, "access log command %" + name + "% is not supported");
          return null;
        }
        if (arg != null) {
          problems.add(
              path, "access log command %" + name + "% takes no argument, got (" + arg + ")");
          return null;
        }
        return new AccessLogFormat.Field(field);
      }
    }
  }

  private static AccessLogFormat.Part header(
      AccessLogFormat.HeaderSource source, String arg, ConfigPath path, ConfigProblems problems) {
    if (arg == null || arg.isEmpty()) {
      problems.add(path, "%" + source + "% needs a header name, e.g. %" + source + "(USER-AGENT)%");
      return null;
    }
    int q = arg.indexOf('?');
    String main = q < 0 ? arg : arg.substring(0, q);
    String alt = q < 0 ? null : arg.substring(q + 1);
    if (main.isEmpty() || (alt != null && (alt.isEmpty() || alt.indexOf('?') >= 0))) {
      problems.add(path, "invalid header alternatives " + arg + " (expected: NAME or NAME?ALT)");
      return null;
    }
    return new AccessLogFormat.Header(
        source,
        AsciiString.of(main.toLowerCase(Locale.ROOT)),
        alt == null ? null : AsciiString.of(alt.toLowerCase(Locale.ROOT)));
  }
}
