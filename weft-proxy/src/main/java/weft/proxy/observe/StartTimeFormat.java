package weft.proxy.observe;

import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code %START_TIME(format)%}: the strftime subset Envoy users write, compiled once. Times are
 * UTC, as Envoy prints them. Fractions come from millisecond timestamps, so digits past the third
 * are zeros. Envoy's extras are honoured: {@code %s} (epoch seconds), {@code %f} / {@code %1f}..
 * {@code %9f} (fraction of a second) and absl's {@code %E3S}-style seconds with a fraction.
 */
final class StartTimeFormat {
  /** Envoy's default: {@code 2016-04-15T20:17:00.310Z}. */
  static final String ENVOY_DEFAULT = "%Y-%m-%dT%H:%M:%E3SZ";

  private sealed interface Part {}

  private record Literal(String text) implements Part {}

  /** A conversion; {@code digits} is the fraction width for %f and %E#S. */
  private record Spec(char conv, int digits) implements Part {}

  /** The text of every run of second-resolution parts, for one second. */
  private record Rendered(long second, String[] runs) {}

  // Runs of parts that change at most once a second, separated by fraction-of-second parts:
  // a request rate above 1/s formats each run once per second, then only appends.
  private final List<List<Part>> runs;
  private final int[] fractionDigits;
  // Benign race: event loops may each render the same second; any complete value is correct.
  private volatile Rendered cache;

  private StartTimeFormat(List<Part> parts) {
    List<List<Part>> runs = new ArrayList<>();
    List<Integer> digits = new ArrayList<>();
    List<Part> run = new ArrayList<>();
    for (Part p : parts) {
      if (p instanceof Spec s && s.conv() == 'f') {
        runs.add(List.copyOf(run));
        run.clear();
        digits.add(s.digits());
      } else {
        run.add(p);
      }
    }
    runs.add(List.copyOf(run));
    this.runs = List.copyOf(runs);
    this.fractionDigits = digits.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Compiles a strftime pattern.
   *
   * @throws IllegalArgumentException naming the first unsupported conversion
   */
  static StartTimeFormat compile(String pattern) {
    List<Part> parts = new ArrayList<>();
    StringBuilder lit = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i++);
      if (c != '%') {
        lit.append(c);
        continue;
      }
      if (i >= pattern.length()) {
        throw new IllegalArgumentException("START_TIME format ends with a lone %");
      }
      char conv = pattern.charAt(i++);
      int digits = -1;
      if (conv == '%') {
        lit.append('%');
        continue;
      }
      if (conv >= '1' && conv <= '9' && i < pattern.length() && pattern.charAt(i) == 'f') {
        digits = conv - '0';
        conv = 'f';
        i++;
      } else if (conv == 'f') {
        digits = 9;
      } else if (conv == 'E') {
        // absl: %E#S (# fraction digits) and %E*S (as many as needed).
        if (i + 1 < pattern.length() && pattern.charAt(i + 1) == 'S') {
          char d = pattern.charAt(i);
          if (d == '*') {
            digits = 3;
          } else if (d >= '0' && d <= '9') {
            digits = d - '0';
          } else {
            throw new IllegalArgumentException("unsupported START_TIME conversion %E" + d + "S");
          }
          i += 2;
          // Seconds, then the fraction as its own part so that seconds can be cached.
          if (!lit.isEmpty()) {
            parts.add(new Literal(lit.toString()));
            lit.setLength(0);
          }
          parts.add(new Spec('S', -1));
          if (digits > 0) {
            parts.add(new Literal("."));
            parts.add(new Spec('f', digits));
          }
          continue;
        } else {
          throw new IllegalArgumentException("unsupported START_TIME conversion %E");
        }
      } else if ("YymdeHIMSpjaAbBhszZTDFRnt".indexOf(conv) < 0) {
        throw new IllegalArgumentException("unsupported START_TIME conversion %" + conv);
      }
      if (!lit.isEmpty()) {
        parts.add(new Literal(lit.toString()));
        lit.setLength(0);
      }
      parts.add(new Spec(conv, digits));
    }
    if (!lit.isEmpty()) {
      parts.add(new Literal(lit.toString()));
    }
    return new StartTimeFormat(parts);
  }

  void append(long epochMillis, StringBuilder sb) {
    long secs = Math.floorDiv(epochMillis, 1000);
    int millis = (int) Math.floorMod(epochMillis, 1000);
    Rendered r = cache;
    if (r == null || r.second() != secs) {
      r = render(secs);
      cache = r;
    }
    sb.append(r.runs()[0]);
    for (int i = 0; i < fractionDigits.length; i++) {
      fraction(sb, millis, fractionDigits[i]);
      sb.append(r.runs()[i + 1]);
    }
  }

  private Rendered render(long secs) {
    LocalDateTime t = LocalDateTime.ofEpochSecond(secs, 0, ZoneOffset.UTC);
    String[] texts = new String[runs.size()];
    StringBuilder sb = new StringBuilder(32);
    for (int i = 0; i < texts.length; i++) {
      sb.setLength(0);
      for (Part p : runs.get(i)) {
        switch (p) {
          case Literal l -> sb.append(l.text());
          case Spec s -> appendSpec(s, t, secs, sb);
        }
      }
      texts[i] = sb.toString();
    }
    return new Rendered(secs, texts);
  }

  private static void appendSpec(Spec s, LocalDateTime t, long secs, StringBuilder sb) {
    switch (s.conv()) {
      case 'Y' -> sb.append(t.getYear());
      case 'y' -> pad(sb, t.getYear() % 100, 2);
      case 'm' -> pad(sb, t.getMonthValue(), 2);
      case 'd' -> pad(sb, t.getDayOfMonth(), 2);
      case 'e' -> sb.append(t.getDayOfMonth() < 10 ? " " : "").append(t.getDayOfMonth());
      case 'H' -> pad(sb, t.getHour(), 2);
      case 'I' -> pad(sb, t.getHour() % 12 == 0 ? 12 : t.getHour() % 12, 2);
      case 'M' -> pad(sb, t.getMinute(), 2);
      case 'S' -> pad(sb, t.getSecond(), 2);
      case 'p' -> sb.append(t.getHour() < 12 ? "AM" : "PM");
      case 'j' -> pad(sb, t.getDayOfYear(), 3);
      case 'a' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT));
      case 'A' -> sb.append(t.getDayOfWeek().getDisplayName(TextStyle.FULL, Locale.ROOT));
      case 'b', 'h' -> sb.append(t.getMonth().getDisplayName(TextStyle.SHORT, Locale.ROOT));
      case 'B' -> sb.append(t.getMonth().getDisplayName(TextStyle.FULL, Locale.ROOT));
      case 's' -> sb.append(secs);
      case 'z' -> sb.append("+0000");
      case 'Z' -> sb.append("UTC");
      case 'T' -> {
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.getSecond(), 2);
      }
      case 'D' -> {
        pad(sb, t.getMonthValue(), 2);
        sb.append('/');
        pad(sb, t.getDayOfMonth(), 2);
        sb.append('/');
        pad(sb, t.getYear() % 100, 2);
      }
      case 'F' -> {
        sb.append(t.getYear()).append('-');
        pad(sb, t.getMonthValue(), 2);
        sb.append('-');
        pad(sb, t.getDayOfMonth(), 2);
      }
      case 'R' -> {
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
      }
      case 'n' -> sb.append('\n');
      case 't' -> sb.append('\t');
      default -> throw new IllegalStateException("conversion %" + s.conv() + " was not compiled");
    }
  }

  private static void fraction(StringBuilder sb, int millis, int digits) {
    int start = sb.length();
    pad(sb, millis, 3);
    for (int i = 3; i < digits; i++) {
      sb.append('0');
    }
    sb.setLength(start + digits);
  }

  private static void pad(StringBuilder sb, int v, int width) {
    String s = Integer.toString(v);
    for (int i = s.length(); i < width; i++) {
      sb.append('0');
    }
    sb.append(s);
  }
}
