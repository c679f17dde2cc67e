package weft.proxy.observe;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The stats selected by a {@link StatsQuery}, read once and sorted by name, so that every
 * exposition format renders one consistent view.
 */
record StatsSnapshot(List<Scalar> counters, List<Scalar> gauges, List<Dist> histograms) {
  /** A counter or gauge value. */
  record Scalar(String name, long value) {}

  /** A histogram: its values (copied) and the exact sum. */
  record Dist(String name, org.HdrHistogram.Histogram values, long sumMillis) {
    long count() {
      return values.getTotalCount();
    }
  }

  private static final List<Counter> NONE_C = List.of();
  private static final List<Gauge> NONE_G = List.of();
  private static final List<Histogram> NONE_H = List.of();

  static StatsSnapshot take(StatsStore store, StatsQuery query) {
    List<Scalar> counters = new ArrayList<>();
    for (Counter c : query.type().includes(StatsQuery.Type.COUNTERS) ? store.counters() : NONE_C) {
      long v = c.value();
      // A counter only ever grows, so "written at least once" is "non-zero" (add(0) aside).
      if (query.matches(c.name()) && (!query.usedOnly() || v != 0)) {
        counters.add(new Scalar(c.name(), v));
      }
    }
    List<Scalar> gauges = new ArrayList<>();
    for (Gauge g : query.type().includes(StatsQuery.Type.GAUGES) ? store.gauges() : NONE_G) {
      if (query.matches(g.name()) && (!query.usedOnly() || g.used())) {
        gauges.add(new Scalar(g.name(), g.value()));
      }
    }
    List<Dist> histograms = new ArrayList<>();
    for (Histogram h :
        query.type().includes(StatsQuery.Type.HISTOGRAMS) ? store.histograms() : NONE_H) {
      if (!query.matches(h.name())) {
        continue;
      }
      long sum = h.sumMillis();
      org.HdrHistogram.Histogram copy = h.snapshot();
      if (!query.usedOnly() || copy.getTotalCount() > 0) {
        histograms.add(new Dist(h.name(), copy, sum));
      }
    }
    counters.sort(Comparator.comparing(Scalar::name));
    gauges.sort(Comparator.comparing(Scalar::name));
    histograms.sort(Comparator.comparing(Dist::name));
    return new StatsSnapshot(List.copyOf(counters), List.copyOf(gauges), List.copyOf(histograms));
  }
}
