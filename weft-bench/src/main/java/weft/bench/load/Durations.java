package weft.bench.load;

/** The durations wrk and h2load print ({@code 221.92us}, {@code 1.90ms}, {@code 2.00s}, {@code 1.5m}). */
final class Durations {
  private Durations() {}

  static double millis(String number, String unit) {
    double v = Double.parseDouble(number);
    return switch (unit) {
      case "us" -> v / 1000.0;
      case "ms" -> v;
      case "s" -> v * 1000.0;
      case "m" -> v * 60_000.0;
      case "h" -> v * 3_600_000.0;
      default -> throw new IllegalArgumentException("duration unit '" + unit + "' (expected: us, ms, s, m or h)");
    };
  }
}
