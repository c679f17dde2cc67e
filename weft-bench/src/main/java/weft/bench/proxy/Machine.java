package weft.bench.proxy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import weft.bench.Host;

/** The machine description printed above the tables. */
final class Machine {
  private Machine() {}

  static String describe(ProxyBenchSettings s, Duration perMeasurement, String loadBefore, String loadAfter, Path work,
      String backend, String generators) {
    StringBuilder paths = new StringBuilder();
    for (BenchPath p : s.paths()) {
      paths.append(paths.isEmpty() ? "" : ", ").append(p.flag());
    }
    return "# weft bench proxy\n\n"
        + "- date: " + Instant.now() + "\n"
        + "- machine: " + Runtime.getRuntime().availableProcessors() + " cores (" + Host.cpuModel() + "), kernel "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
        + System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version") + "\n"
        + "- load average (1/5/15 min): " + loadBefore + " before, " + loadAfter + " after; each row's load1 "
        + "column is the 1-minute load when that measurement ended. Other work on the machine inflates "
        + "latency and lowers throughput for every path alike; compare ratios, not absolutes.\n"
        + "- settings: " + s.duration().toMillis() / 1000.0 + " s per path (" + perMeasurement.toMillis()
        + " ms per measurement after at least " + s.warmup().toMillis() + " ms and " + s.warmResponses() + " responses of warm-up), "
        + s.connections() + " connections, rates " + s.rates() + " req/s, paths " + paths + "; before each "
        + "measurement the harness waits (at most 10 s) until the path answers one request\n"
        + "- backend: " + backend + "\n"
        + "- generators: " + generators + "\n"
        + "- weft processes: `" + String.join(" ", s.weftCommand()) + " proxy -c ...`; configs and logs of every "
        + "process in " + work + "\n"
        + "- CPU s/1k req: user+system CPU of the path's proxy processes (/proc/PID/stat; nginx master and worker "
        + "summed) per 1,000 ok responses; n/a for direct. Peak RSS sums VmHWM over the same processes (pages "
        + "nginx's worker shares with its master count twice)\n\n";
  }
}
