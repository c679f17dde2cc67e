package weft.proxy.observe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Envoy's {@code /stats/prometheus}: the Prometheus text format (0.0.4) with Envoy's naming. Each
 * stat is split by Envoy's default tag extraction ({@link StatTags}); the tag-extracted name gets
 * the {@code envoy_} prefix and every character outside {@code [a-zA-Z0-9_]} becomes {@code _};
 * tags become labels the same way ({@code envoy.cluster_name} -> {@code envoy_cluster_name}).
 * Series that share a metric name are grouped under one {@code # TYPE} line.
 */
public final class PrometheusText {
  /** Envoy's default histogram bucket bounds, in milliseconds. */
  static final double[] BUCKETS = {
    0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 30000, 60000, 300000, 600000,
    1800000, 3600000
  };

  // Stat names are few and long-lived (the store never forgets one), so each is split once.
  private static final java.util.concurrent.ConcurrentHashMap<String, StatTags.Tagged> TAGGED =
      new java.util.concurrent.ConcurrentHashMap<>();

  private PrometheusText() {}

  private record Series(String labels, Object stat) {}

  public static String render(StatsStore store, StatsQuery query) {
    StatsSnapshot s = StatsSnapshot.take(store, query);
    StringBuilder sb = new StringBuilder();
    appendScalars(sb, s.counters(), "counter");
    appendScalars(sb, s.gauges(), "gauge");
    for (Map.Entry<String, List<Series>> metric : group(s.histograms()).entrySet()) {
      String name = metric.getKey();
      sb.append("# TYPE ").append(name).append(" histogram\n");
      for (Series series : metric.getValue()) {
        StatsSnapshot.Dist h = (StatsSnapshot.Dist) series.stat();
        String sep = series.labels().isEmpty() ? "" : ",";
        for (double le : BUCKETS) {
          long count = le < 1 ? h.values().getCountAtValue(0) : countUpTo(h, (long) le);
          sb.append(name).append("_bucket{").append(series.labels()).append(sep);
          sb.append("le=\"").append(bound(le)).append("\"} ").append(count).append('\n');
        }
        sb.append(name).append("_bucket{").append(series.labels()).append(sep);
        sb.append("le=\"+Inf\"} ").append(h.count()).append('\n');
        sb.append(name).append("_sum").append(braces(series.labels())).append(' ');
        sb.append(h.sumMillis()).append('\n');
        sb.append(name).append("_count").append(braces(series.labels())).append(' ');
        sb.append(h.count()).append('\n');
      }
    }
    return sb.toString();
  }

  private static void appendScalars(
      StringBuilder sb, List<StatsSnapshot.Scalar> stats, String type) {
    for (Map.Entry<String, List<Series>> metric : group(stats).entrySet()) {
      sb.append("# TYPE ").append(metric.getKey()).append(' ').append(type).append('\n');
      for (Series series : metric.getValue()) {
        sb.append(metric.getKey()).append(braces(series.labels())).append(' ');
        sb.append(((StatsSnapshot.Scalar) series.stat()).value()).append('\n');
      }
    }
  }

  private static TreeMap<String, List<Series>> group(List<?> stats) {
    TreeMap<String, List<Series>> byName = new TreeMap<>();
    for (Object stat : stats) {
      String statName =
          stat instanceof StatsSnapshot.Scalar sc ? sc.name() : ((StatsSnapshot.Dist) stat).name();
      StatTags.Tagged tagged = TAGGED.computeIfAbsent(statName, StatTags::extract);
      byName
          .computeIfAbsent(metricName(tagged.name()), k -> new ArrayList<>())
          .add(new Series(labels(tagged.tags()), stat));
    }
    return byName;
  }

  /** {@code cluster.upstream_rq_total} -> {@code envoy_cluster_upstream_rq_total}. */
  static String metricName(String tagExtractedName) {
    return "envoy_" + sanitize(tagExtractedName);
  }

  static String sanitize(String name) {
    StringBuilder sb = new StringBuilder(name.length());
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      sb.append(ok ? c : '_');
    }
    return sb.toString();
  }

  static String labels(List<StatTags.Tag> tags) {
    StringBuilder sb = new StringBuilder();
    for (StatTags.Tag t : tags) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(sanitize(t.name())).append("=\"");
      String v = t.value();
      for (int i = 0; i < v.length(); i++) {
        char c = v.charAt(i);
        switch (c) {
          case '\\' -> sb.append("\\\\");
          case '"' -> sb.append("\\\"");
          case '\n' -> sb.append("\\n");
          default -> sb.append(c);
        }
      }
      sb.append('"');
    }
    return sb.toString();
  }

  private static String braces(String labels) {
    return labels.isEmpty() ? "" : "{" + labels + "}";
  }

  private static long countUpTo(StatsSnapshot.Dist h, long le) {
    return le >= h.values().getMaxValue() ? h.count() : h.values().getCountBetweenValues(0, le);
  }

  /** 0.5 -> "0.5", 3600000 -> "3600000", as Envoy prints bucket bounds. */
  static String bound(double le) {
    return le == Math.rint(le) ? Long.toString((long) le) : Double.toString(le);
  }
}
