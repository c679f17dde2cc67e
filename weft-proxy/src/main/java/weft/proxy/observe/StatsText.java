package weft.proxy.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Envoy's admin {@code /stats} output: plain text ({@code name: value} lines) and {@code
 * ?format=json}.
 */
public final class StatsText {
  /** The quantiles Envoy reports for histograms, as fractions. */
  static final double[] QUANTILES = {0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1};

  private StatsText() {}

  /**
   * Counters and gauges merged in name order, then histograms as Envoy prints them: {@code name:
   * P0(nan,1) P25(nan,2) ... P100(nan,9)} or {@code name: No recorded values}. The first value of
   * each pair is Envoy's per-flush-interval quantile; weft keeps only cumulative histograms, so it
   * is {@code nan}, which is what Envoy prints for an empty interval.
   */
  public static String text(StatsStore store, StatsQuery query) {
    StatsSnapshot s = StatsSnapshot.take(store, query);
    StringBuilder sb = new StringBuilder();
    for (StatsSnapshot.Scalar v : scalars(s)) {
      sb.append(v.name()).append(": ").append(v.value()).append('\n');
    }
    for (StatsSnapshot.Dist h : s.histograms()) {
      sb.append(h.name()).append(": ");
      if (h.count() == 0) {
        sb.append("No recorded values");
      } else {
        for (int i = 0; i < QUANTILES.length; i++) {
          if (i > 0) {
            sb.append(' ');
          }
          sb.append('P').append(quantileLabel(QUANTILES[i])).append("(nan,");
          sb.append(quantile(h, QUANTILES[i])).append(')');
        }
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** Envoy's {@code /stats?format=json} shape: {@code {"stats":[{"name":..,"value":..},..]}}. */
  public static String json(StatsStore store, StatsQuery query) {
    StatsSnapshot s = StatsSnapshot.take(store, query);
    StringBuilder sb = new StringBuilder("{\"stats\":[");
    boolean first = true;
    for (StatsSnapshot.Scalar v : scalars(s)) {
      if (!first) {
        sb.append(',');
      }
      first = false;
      sb.append("{\"name\":");
      Json.string(sb, v.name());
      sb.append(",\"value\":").append(v.value()).append('}');
    }
    if (!s.histograms().isEmpty()) {
      if (!first) {
        sb.append(',');
      }
      sb.append("{\"histograms\":{\"supported_quantiles\":[");
      for (int i = 0; i < QUANTILES.length; i++) {
        sb.append(i > 0 ? "," : "").append(quantileLabel(QUANTILES[i]));
      }
      sb.append("],\"computed_quantiles\":[");
      for (int j = 0; j < s.histograms().size(); j++) {
        StatsSnapshot.Dist h = s.histograms().get(j);
        sb.append(j > 0 ? "," : "").append("{\"name\":");
        Json.string(sb, h.name());
        sb.append(",\"values\":[");
        for (int i = 0; i < QUANTILES.length; i++) {
          sb.append(i > 0 ? "," : "").append("{\"interval\":null,\"cumulative\":");
          sb.append(h.count() == 0 ? "null" : Long.toString(quantile(h, QUANTILES[i])));
          sb.append('}');
        }
        sb.append("]}");
      }
      sb.append("]}}");
    }
    return sb.append("]}").toString();
  }

  private static List<StatsSnapshot.Scalar> scalars(StatsSnapshot s) {
    List<StatsSnapshot.Scalar> all = new ArrayList<>(s.counters().size() + s.gauges().size());
    all.addAll(s.counters());
    all.addAll(s.gauges());
    all.sort(Comparator.comparing(StatsSnapshot.Scalar::name));
    return all;
  }

  static long quantile(StatsSnapshot.Dist h, double q) {
    if (q == 0) {
      return h.values().getMinValue();
    }
    if (q == 1) {
      return h.values().getMaxValue();
    }
    return h.values().getValueAtPercentile(q * 100);
  }

  /** 0.995 -> "99.5", 0.5 -> "50", as Envoy labels quantiles. */
  static String quantileLabel(double q) {
    double p = Math.round(q * 1000) / 10.0;
    return p == Math.rint(p) ? Long.toString((long) p) : Double.toString(p);
  }
}
