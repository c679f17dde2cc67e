package weft.bench.proxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import weft.bench.load.ClientGroup;
import weft.bench.load.ClosedLoop;
import weft.bench.load.H2load;
import weft.bench.load.H2loadReport;
import weft.bench.load.LoadTarget;
import weft.bench.load.ThroughputResult;
import weft.bench.load.Wrk;
import weft.bench.load.WrkReport;

/**
 * Max-throughput (closed-loop) measurements of one path: wrk over HTTP/1.1 and h2load over h2c when
 * the run uses them, else the built-in HTTP/1.1 closed loop (and no h2c figure). A generator that
 * fails leaves a row of n/a with the reason; its own report is kept in the run's directory.
 */
final class ClosedLoops {
  private final ProxyBenchSettings settings;
  private final Peers peers;
  private final Duration perMeasurement;
  private final Path work;
  private final Consumer<String> say;
  private final Tables tables;

  ClosedLoops(ProxyBenchSettings settings, Peers peers, Duration perMeasurement, Path work, Consumer<String> say,
      Tables tables) {
    this.settings = settings;
    this.peers = peers;
    this.perMeasurement = perMeasurement;
    this.work = work;
    this.say = say;
    this.tables = tables;
  }

  void h1(Tables.ClosedLoop scenario, String name, LoadTarget t, List<ProxyProcess> procs,
      ClientGroup clients) throws InterruptedException {
    say.accept(name + ": closed loop " + t.path() + (peers.wrk() ? " (wrk)" : ""));
    double cpu0 = ProxyProcess.cpuSeconds(procs);
    if (!peers.wrk()) {
      ThroughputResult r = ClosedLoop.run(clients, t, settings.connections(), perMeasurement);
      double cpu = ProxyProcess.cpuSeconds(procs) - cpu0;
      tables.throughput(scenario, name, r, Double.NaN, Double.NaN, Tables.perThousand(cpu, r.ok()));
      return;
    }
    try {
      WrkReport r = Wrk.run(t, settings.connections(), perMeasurement, rawOutput("wrk", name, t));
      ThroughputResult tr = r.throughput();
      double cpu = ProxyProcess.cpuSeconds(procs) - cpu0;
      tables.throughput(scenario, name, tr, r.meanMillis(), r.p99Millis(), Tables.perThousand(cpu, tr.ok()));
    } catch (IOException | IllegalArgumentException e) {
      say.accept(name + ": wrk failed: " + e.getMessage());
      tables.throughputFailed(scenario, name, "wrk failed: " + ProxyBench.firstLine(e));
    }
  }

  void h2c(String name, LoadTarget t, List<ProxyProcess> procs) throws InterruptedException {
    say.accept(name + ": closed loop " + t.path() + " over h2c (h2load)");
    double cpu0 = ProxyProcess.cpuSeconds(procs);
    try {
      H2loadReport r = H2load.run(t, settings.connections(), perMeasurement, rawOutput("h2load", name, t));
      ThroughputResult tr = r.throughput();
      tables.throughput(Tables.ClosedLoop.H2C_SMALL, name, tr, r.meanMillis(), Double.NaN,
          Tables.perThousand(ProxyProcess.cpuSeconds(procs) - cpu0, tr.ok()));
    } catch (IOException | IllegalArgumentException e) {
      say.accept(name + ": h2load failed: " + e.getMessage());
      tables.throughputFailed(Tables.ClosedLoop.H2C_SMALL, name, "h2load failed: " + ProxyBench.firstLine(e));
    }
  }

  /** How the HTTP/1.1 closed loop is driven, for the tables' titles. */
  static String h1Label(ProxyBenchSettings settings, Peers peers) {
    return peers.wrk()
        ? "wrk -t1 -c" + settings.connections()
        : "built-in generator, " + settings.connections() + " connections";
  }

  /** How the h2c closed loop is driven, for the table's title; empty when it is not measured. */
  static Optional<String> h2cLabel(ProxyBenchSettings settings, Peers peers) {
    return peers.h2load()
        ? Optional.of("h2load -t1 -c" + settings.connections() + " -m" + H2load.STREAMS)
        : Optional.empty();
  }

  /** The generators, for the report's header. */
  String describe() {
    String h1 = peers.wrk()
        ? "wrk, 1 thread (`" + String.join(" ", Wrk.command(new LoadTarget("127.0.0.1", 0, "/small"),
            settings.connections(), perMeasurement)).replace("127.0.0.1:0", "HOST:PORT") + "`)"
        : "the built-in Netty generator (2 event loops, in the harness's JVM)";
    String h2c = peers.h2load()
        ? "h2load, 1 thread (`h2load -t1 -c" + settings.connections() + " -m" + H2load.STREAMS + " -D "
            + perMeasurement.toMillis() + "ms`)"
        : "not measured (no h2load)";
    return "closed loop HTTP/1.1: " + h1 + "; closed loop h2c: " + h2c + "; open loop (latency rows): the built-in "
        + "Netty generator (2 event loops, in the harness's JVM). External generators run on the same cores as "
        + "the proxies and the backend";
  }

  /** Where a generator's own report for {@code path} goes: {@code wrk-weft-1-hop-concurrency-1-small.txt}. */
  private Path rawOutput(String tool, String path, LoadTarget t) {
    String slug = (path + t.path()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return work.resolve(tool + "-" + slug + ".txt");
  }
}
