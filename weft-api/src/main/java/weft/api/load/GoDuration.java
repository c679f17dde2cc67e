package weft.api.load;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/** Parses Go's {@code time.ParseDuration} syntax, which Istio uses for protobuf Durations in YAML. */
final class GoDuration {
  private GoDuration() {}

  static Optional<Duration> parse(String s) {
    if (s.isEmpty()) {
      return Optional.empty();
    }
    int i = 0;
    boolean negative = false;
    if (s.charAt(0) == '-' || s.charAt(0) == '+') {
      negative = s.charAt(0) == '-';
      i++;
    }
    if (s.substring(i).equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    BigDecimal nanos = BigDecimal.ZERO;
    boolean any = false;
    while (i < s.length()) {
      int start = i;
      while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '.')) {
        i++;
      }
      if (start == i) {
        return Optional.empty();
      }
      BigDecimal value;
      try {
        value = new BigDecimal(s.substring(start, i));
      } catch (NumberFormatException e) {
        return Optional.empty();
      }
      int unitStart = i;
      while (i < s.length() && !Character.isDigit(s.charAt(i)) && s.charAt(i) != '.') {
        i++;
      }
      long scale = switch (s.substring(unitStart, i)) {
        case "ns" -> 1L;
        case "us", "µs" -> 1_000L;
        case "ms" -> 1_000_000L;
        case "s" -> 1_000_000_000L;
        case "m" -> 60_000_000_000L;
        case "h" -> 3_600_000_000_000L;
        default -> -1L;
      };
      if (scale < 0) {
        return Optional.empty();
      }
      nanos = nanos.add(value.multiply(BigDecimal.valueOf(scale)));
      any = true;
    }
    if (!any || nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
      return Optional.empty();
    }
    long n = nanos.longValue();
    return Optional.of(Duration.ofNanos(negative ? -n : n));
  }
}
