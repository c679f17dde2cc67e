package weft.proxy.observe;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The proxy's stats, under Envoy's names ({@code cluster.<name>.upstream_rq_total},
 * {@code http.<stat_prefix>.downstream_rq_2xx}, {@code listener.<address>.downstream_cx_total}).
 *
 * <p>Components look their stats up once, when their config is compiled, and keep the handles:
 * nothing on the request path touches the maps. A stat that already exists is returned again, so
 * a config reload keeps counting where the previous config left off, as Envoy's stats do.
 */
public final class StatsStore {
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Gauge> gauges = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Histogram> histograms = new ConcurrentHashMap<>();

  public Counter counter(String name) {
    return counters.computeIfAbsent(name, Counter::new);
  }

  public Gauge gauge(String name) {
    return gauges.computeIfAbsent(name, Gauge::new);
  }

  public Histogram histogram(String name) {
    return histograms.computeIfAbsent(name, Histogram::new);
  }

  public Collection<Counter> counters() {
    return counters.values();
  }

  public Collection<Gauge> gauges() {
    return gauges.values();
  }

  public Collection<Histogram> histograms() {
    return histograms.values();
  }
}
