package weft.bench.proxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import weft.bench.load.LatencyResult;
import weft.bench.load.Protocol;
import weft.bench.load.ThroughputResult;

/** The report's scenarios, in the order they are printed. CPU columns are the proxies' own CPU. */
final class Tables {
  private static final List<String> THROUGHPUT = List.of("req/s", "errors", "proxy CPU s/1k req", "load1");
  private static final List<String> LATENCY =
      List.of("achieved req/s", "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "errors", "proxy CPU s/1k req", "load1");

  private final Table small = new Table(
      "Max throughput, closed loop, HTTP/1.1 keep-alive, 100 B responses", THROUGHPUT, List.of(0));
  private final Table large = new Table(
      "Max throughput, closed loop, HTTP/1.1 keep-alive, 16 KiB responses", THROUGHPUT, List.of(0));
  private final Map<String, Table> latency = new LinkedHashMap<>();
  private final Table memory = new Table("Peak RSS of the proxy processes (VmHWM, summed over a path's proxies)",
      List.of("peak RSS MiB"), List.of());
  private final Table handshakes = new Table(
      "New mTLS handshakes (full handshake + one GET + close per connection)",
      List.of("handshakes/s", "errors", "proxy CPU s/1k handshakes", "load1"), List.of());

  Tables(List<Integer> rates) {
    for (int rate : rates) {
      for (Protocol p : Protocol.values()) {
        latency.put(key(rate, p), new Table("Latency at " + rate + " req/s, open loop (coordinated-omission corrected), "
            + p.label() + ", 100 B responses", LATENCY, List.of(1, 3)));
      }
    }
  }

  void throughput(boolean smallBody, String path, ThroughputResult r, double cpuPerK) {
    (smallBody ? small : large).add(path, r.requestsPerSecond(), r.errors(), cpuPerK, Machine.load1());
  }

  void latency(int rate, Protocol p, String path, LatencyResult r, double cpuPerK) {
    latency.get(key(rate, p)).add(path, r.achievedRate(), r.percentileMillis(50), r.percentileMillis(90),
        r.percentileMillis(99), r.percentileMillis(99.9), r.errors(), cpuPerK, Machine.load1());
  }

  void memory(String path, double mib) {
    memory.add(path, mib);
  }

  void handshakes(String path, ThroughputResult r, double cpuPerK) {
    handshakes.add(path, r.requestsPerSecond(), r.errors(), cpuPerK, Machine.load1());
  }

  List<Table> all() {
    List<Table> all = new ArrayList<>(List.of(small, large));
    all.addAll(latency.values());
    all.add(memory);
    all.add(handshakes);
    return all;
  }

  String markdown() {
    StringBuilder sb = new StringBuilder();
    for (Table t : all()) {
      sb.append(t.markdown());
    }
    return sb.toString();
  }

  private static String key(int rate, Protocol p) {
    return rate + "/" + p;
  }
}
