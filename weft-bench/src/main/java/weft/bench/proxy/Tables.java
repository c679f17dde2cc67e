package weft.bench.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.bench.Host;
import weft.bench.load.LatencyResult;
import weft.bench.load.Protocol;
import weft.bench.load.ThroughputResult;

/**
 * The report's scenarios, in the order they are printed. CPU columns are the proxies' own CPU; the
 * closed-loop tables name the generator that filled them (wrk/h2load when installed, else built in).
 */
final class Tables {
  /** Which closed-loop scenario a throughput row belongs to. */
  enum ClosedLoop { H1_SMALL, H1_LARGE, H2C_SMALL }

  private static final List<String> THROUGHPUT =
      List.of("req/s", "errors", "mean ms", "p99 ms", "proxy CPU s/1k req", "load1");
  private static final List<String> LATENCY =
      List.of("achieved req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "errors", "proxy CPU s/1k req", "load1");

  private final Map<ClosedLoop, Table> throughput = new LinkedHashMap<>();
  private final Map<String, Table> latency = new LinkedHashMap<>();
  private final Table memory = new Table("Peak RSS of the proxy processes (VmHWM, summed over a path's processes)",
      List.of("peak RSS MiB"), List.of(), List.of(0));
  private final Table handshakes = new Table(
      "New mTLS handshakes (full handshake + one GET + close per connection)",
      List.of("handshakes/s", "errors", "proxy CPU s/1k handshakes", "load1"), List.of());

  /**
   * @param h1Generator how the HTTP/1.1 closed loop is driven, e.g. {@code wrk -t1 -c32}
   * @param h2cGenerator how the h2c closed loop is driven; empty when it is not measured
   */
  Tables(List<Integer> rates, String h1Generator, Optional<String> h2cGenerator) {
    throughput.put(ClosedLoop.H1_SMALL, throughputTable("HTTP/1.1 keep-alive, 100 B responses", h1Generator));
    throughput.put(ClosedLoop.H1_LARGE, throughputTable("HTTP/1.1 keep-alive, 16 KiB responses", h1Generator));
    h2cGenerator.ifPresent(g -> throughput.put(ClosedLoop.H2C_SMALL, throughputTable("h2c, 100 B responses", g)));
    for (int rate : rates) {
      for (Protocol p : Protocol.values()) {
        latency.put(key(rate, p), new Table("Latency at " + rate + " req/s, open loop (coordinated-omission corrected), "
            + p.label() + ", 100 B responses", LATENCY, List.of(1, 3), List.of(6)));
      }
    }
  }

  private static Table throughputTable(String what, String generator) {
    return new Table("Max throughput, closed loop, " + what + " (" + generator + ")", THROUGHPUT, List.of(0), List.of(4));
  }

  /** {@code meanMillis} and {@code p99Millis} as the closed-loop generator saw them (NaN when it does not say). */
  void throughput(ClosedLoop scenario, String path, ThroughputResult r, double meanMillis, double p99Millis,
      double cpuPerK) {
    throughput.get(scenario).add(path, r.requestsPerSecond(), r.errors(), meanMillis, p99Millis, cpuPerK, Host.load1());
  }

  /** A closed-loop measurement that produced no figures, with why. */
  void throughputFailed(ClosedLoop scenario, String path, String why) {
    Table t = throughput.get(scenario);
    t.add(path, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Host.load1());
    t.note(path, why);
  }

  void latency(int rate, Protocol p, String path, LatencyResult r, double cpuPerK) {
    latency.get(key(rate, p)).add(path, r.achievedRate(), r.percentileMillis(50), r.percentileMillis(90),
        r.percentileMillis(99), r.percentileMillis(99.9), r.errors(), cpuPerK, Host.load1());
  }

  void memory(String path, double mib) {
    memory.add(path, mib);
  }

  void handshakes(String path, ThroughputResult r, double cpuPerK) {
    handshakes.add(path, r.requestsPerSecond(), r.errors(), cpuPerK, Host.load1());
  }

  List<Table> all() {
    List<Table> all = new ArrayList<>(throughput.values());
    all.addAll(latency.values());
    all.add(memory);
    all.add(handshakes);
    return all;
  }

  /** Every table with at least one row (a run of only the direct path has no memory table). */
  String markdown() {
    StringBuilder sb = new StringBuilder();
    for (Table t : all()) {
      if (!t.isEmpty()) {
        sb.append(t.markdown());
      }
    }
    return sb.toString();
  }

  /** CPU seconds per 1,000 requests; NaN when none completed. */
  static double perThousand(double cpuSeconds, long requests) {
    return requests == 0 ? Double.NaN : cpuSeconds * 1000.0 / requests;
  }

  private static String key(int rate, Protocol p) {
    return rate + "/" + p;
  }
}
