package weft.bench.proxy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import weft.bench.Host;
import weft.bench.load.ClientGroup;
import weft.bench.load.ClosedLoop;
import weft.bench.load.LatencyResult;
import weft.bench.load.LoadTarget;
import weft.bench.load.OpenLoop;
import weft.bench.load.Protocol;
import weft.bench.load.ThroughputResult;
import weft.bench.load.TlsHandshakes;

/**
 * {@code weft bench proxy}: the same load through each path (direct; HAProxy and nginx one hop when
 * installed; weft one hop with concurrency 1 and 2; weft client sidecar -> server sidecar over mTLS),
 * one path at a time against one backend, so the paths' figures come from the same machine in the
 * same minutes and their ratios mean something.
 */
public final class ProxyBench {
  private final ProxyBenchSettings settings;
  private final PrintWriter progress;
  private final Path work;
  private final Peers peers;
  private final PathProcesses processes;
  private final Tables tables;
  private final Duration perMeasurement;
  private final ClosedLoops closedLoops;
  private final List<String> failures = new ArrayList<>();
  private final long started = System.nanoTime();

  private ProxyBench(ProxyBenchSettings settings, PrintWriter progress, Path work, Peers peers) {
    this.settings = settings;
    this.progress = progress;
    this.work = work;
    this.peers = peers;
    this.processes = new PathProcesses(settings, work, this::say);
    this.perMeasurement = settings.perMeasurement(peers.h2load() ? 3 : 2);
    this.tables = new Tables(settings.rates(), ClosedLoops.h1Label(settings, peers), ClosedLoops.h2cLabel(settings, peers));
    this.closedLoops = new ClosedLoops(settings, peers, perMeasurement, work, this::say, tables);
  }

  /** Runs every selected path and returns the markdown report. */
  public static String run(ProxyBenchSettings settings, PrintWriter progress) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("weft-bench-");
    ProxyBench bench = new ProxyBench(settings, progress, work, Peers.detect(settings.usePeers()));
    String loadBefore = Host.loadAverage();
    bench.peers.skipped().forEach(s -> bench.say("skipped " + s));
    String backendDescription;
    // Ctrl-C must not leave nginx, HAProxy or weft children running: they outlive the JVM otherwise
    Thread reaper = new Thread(() -> ProcessHandle.current().descendants().forEach(ProcessHandle::destroy));
    Runtime.getRuntime().addShutdownHook(reaper);
    try (ClientGroup clients = new ClientGroup(2); RunningBackend backend = bench.startBackend()) {
      backendDescription = backend.description();
      bench.runAll(backend.ports(), clients);
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook is running or about to: nothing to undo
      }
    }
    bench.say("done");
    return Machine.describe(settings, bench.perMeasurement, loadBefore, Host.loadAverage(), work, backendDescription,
        bench.closedLoops.describe()) + bench.peers.markdown() + bench.failuresMarkdown() + bench.tables.markdown();
  }

  private record RunningBackend(Ports ports, String description, Runnable stop) implements AutoCloseable {
    @Override
    public void close() {
      stop.run();
    }
  }

  private RunningBackend startBackend() throws IOException, InterruptedException {
    if (peers.nginx()) {
      Ports p = new Ports(freePort(), freePort());
      ProxyProcess nginx = processes.nginxBackend(p);
      return new RunningBackend(p, "nginx, 1 worker in its own processes: `return 200` of " + Backend.SMALL_BYTES
          + " B, a " + Backend.LARGE_BYTES + " B file (sendfile, open_file_cache), HTTP/1.1 on one port and h2c "
          + "(prior knowledge) on another", nginx::close);
    }
    Backend b = Backend.start(1);
    return new RunningBackend(Ports.shared(b.port()), Backend.describe() + ", in the harness's JVM (1 event loop)",
        b::close);
  }

  private void runAll(Ports backend, ClientGroup clients) throws IOException, InterruptedException {
    for (BenchPath path : settings.paths()) {
      switch (path) {
        case DIRECT -> measurePath(Table.DIRECT, backend, List.of(), clients);
        case HAPROXY -> {
          if (peers.haproxy()) {
            Ports p = new Ports(freePort(), freePort());
            peer(Table.HAPROXY, () -> processes.haproxy(p, backend.h1()), p, clients);
          }
        }
        case NGINX -> {
          if (peers.nginx()) {
            Ports p = new Ports(freePort(), freePort());
            peer(Table.NGINX, () -> processes.nginxProxy(p, backend.h1()), p, clients);
          }
        }
        case WEFT -> weftHop(1, backend, clients);
        case WEFT_C2 -> weftHop(2, backend, clients);
        case WEFT_MTLS -> weftMesh(backend, clients);
      }
    }
  }

  private interface Starter {
    ProxyProcess start() throws IOException, InterruptedException;
  }

  /** A peer that fails to start is reported and the run goes on: the other paths still compare. */
  private void peer(String name, Starter starter, Ports ports, ClientGroup clients) throws InterruptedException {
    ProxyProcess p;
    try {
      p = starter.start();
    } catch (IOException e) {
      say(name + " did not start: " + e.getMessage());
      failures.add(name + " did not start (logs in " + work + "): " + firstLine(e));
      return;
    }
    try (p) {
      measurePath(name, ports, List.of(p), clients);
      tables.memory(name, p.peakRssMiB());
    }
  }

  private void weftHop(int concurrency, Ports backend, ClientGroup clients) throws IOException, InterruptedException {
    int port = freePort();
    String name = "weft 1 hop, concurrency " + concurrency;
    try (ProxyProcess p = processes.weft("weft-c" + concurrency, Bootstraps.plainHop(port, backend.h1()), concurrency, port)) {
      measurePath(name, Ports.shared(port), List.of(p), clients);
      tables.memory(name, p.peakRssMiB());
    }
  }

  private void weftMesh(Ports backend, ClientGroup clients) throws IOException, InterruptedException {
    BenchPki pki = BenchPki.create(work);
    BenchPki.Leaf client = pki.issue("client");
    BenchPki.Leaf server = pki.issue("server");
    int serverPort = freePort();
    int clientPort = freePort();
    String name = "weft 2 hops, mTLS (sidecar -> sidecar)";
    List<ProxyProcess> sidecars = processes.weftSidecars(
        Bootstraps.serverSidecar(serverPort, backend.h1(), pki, server, client.spiffeId()), serverPort,
        Bootstraps.clientSidecar(clientPort, serverPort, pki, client, server.spiffeId()), clientPort);
    try (ProxyProcess s = sidecars.get(0); ProxyProcess c = sidecars.get(1)) {
      measurePath(name, Ports.shared(clientPort), List.of(c, s), clients);
      say("new mTLS handshakes through the server sidecar");
      SslContext tls = SslContextBuilder.forClient()
          .keyManager(client.privateKey(), client.x509())
          .trustManager(pki.ca())
          // mesh identity is the SPIFFE URI SAN, not a hostname; the sidecar checks ours
          .endpointIdentificationAlgorithm(null)
          .build();
      double cpu0 = ProxyProcess.cpuSeconds(List.of(s));
      ThroughputResult hs = TlsHandshakes.run(clients, new LoadTarget("127.0.0.1", serverPort, "/small"), tls,
          Math.min(settings.connections(), 8), perMeasurement);
      tables.handshakes("weft server sidecar (1 hop, concurrency 1)", hs, Tables.perThousand(ProxyProcess.cpuSeconds(List.of(s)) - cpu0, hs.ok()));
      tables.memory(name, c.peakRssMiB() + s.peakRssMiB());
    }
  }

  private void measurePath(String name, Ports ports, List<ProxyProcess> procs, ClientGroup clients)
      throws InterruptedException {
    LoadTarget small = new LoadTarget("127.0.0.1", ports.h1(), "/small");
    LoadTarget large = new LoadTarget("127.0.0.1", ports.h1(), "/large");
    LoadTarget h2Small = new LoadTarget("127.0.0.1", ports.h2c(), "/small");
    warmUp(name, small, large, h2Small, clients);
    settle(name, small, clients);
    closedLoops.h1(Tables.ClosedLoop.H1_SMALL, name, small, procs, clients);
    settle(name, small, clients);
    closedLoops.h1(Tables.ClosedLoop.H1_LARGE, name, large, procs, clients);
    if (peers.h2load()) {
      settle(name, small, clients);
      closedLoops.h2c(name, h2Small, procs);
    }
    for (int rate : settings.rates()) {
      for (Protocol protocol : Protocol.values()) {
        settle(name, small, clients);
        say(name + ": " + rate + " req/s over " + protocol.label());
        double cpu0 = ProxyProcess.cpuSeconds(procs);
        LatencyResult r = OpenLoop.run(clients, protocol == Protocol.H1 ? small : h2Small, protocol, rate,
            settings.connections(), perMeasurement);
        tables.latency(rate, protocol, name, r, Tables.perThousand(ProxyProcess.cpuSeconds(procs) - cpu0, r.ok()));
      }
    }
  }

  /**
   * Waits (at most {@link #SETTLE_MAX}) until the path answers one HTTP/1.1 request, so that work a
   * proxy still owes the previous measurement (an h2c backlog, say) is not charged to the next one:
   * without it, a path whose h2c warm-up left a queue answered nothing to the following wrk run.
   */
  private void settle(String name, LoadTarget small, ClientGroup clients) throws InterruptedException {
    long start = System.nanoTime();
    long deadline = start + SETTLE_MAX.toNanos();
    boolean answered = false;
    while (!answered && System.nanoTime() < deadline) {
      answered = ClosedLoop.run(clients, small, 1, Duration.ofMillis(300)).ok() > 0;
    }
    long waitedMs = (System.nanoTime() - start) / 1_000_000;
    if (!answered) {
      say(name + ": still not answering after " + waitedMs + " ms; measuring anyway");
    } else if (waitedMs > 1000) {
      say(name + ": waited " + waitedMs + " ms for the path to answer again");
    }
  }

  private static final Duration SETTLE_MAX = Duration.ofSeconds(10);

  /**
   * A fresh JVM answers its first requests hundreds of times slower than after JIT compilation, so
   * warm up until {@link ProxyBenchSettings#warmResponses()} responses have come back (at least the warm-up time, at
   * most 20 s: a path that answers nothing shows as zeros) on both bodies and over h2c, and then
   * measure. Peers get the same warm-up so every path is measured the same way.
   */
  private void warmUp(String name, LoadTarget small, LoadTarget large, LoadTarget h2Small, ClientGroup clients)
      throws InterruptedException {
    say(name + ": warm-up");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long minEnd = System.nanoTime() + settings.warmup().toNanos();
    long ok = 0;
    Duration slice = Duration.ofMillis(Math.max(1000, settings.warmup().toMillis() / 2));
    long warmResponses = settings.warmResponses();
    while (System.nanoTime() < deadline && (ok < warmResponses || System.nanoTime() < minEnd)) {
      ok += ClosedLoop.run(clients, small, settings.connections(), slice).ok();
      ClosedLoop.run(clients, large, settings.connections(), Duration.ofMillis(100));
    }
    OpenLoop.run(clients, h2Small, Protocol.H2C, settings.rates().get(0), settings.connections(), slice);
  }

  private String failuresMarkdown() {
    if (failures.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("## Paths that failed\n\n");
    failures.forEach(f -> sb.append("- ").append(f).append('\n'));
    return sb.append('\n').toString();
  }

  private void say(String message) {
    progress.println(String.format(Locale.ROOT, "weft bench [%3ds]: %s", (System.nanoTime() - started) / 1_000_000_000L,
        message));
  }

  static String firstLine(Exception e) {
    String m = String.valueOf(e.getMessage()).strip();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
