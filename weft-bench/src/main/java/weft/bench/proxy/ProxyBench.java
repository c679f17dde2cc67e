package weft.bench.proxy;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import weft.bench.load.ClientGroup;
import weft.bench.load.ClosedLoop;
import weft.bench.load.LatencyResult;
import weft.bench.load.LoadTarget;
import weft.bench.load.OpenLoop;
import weft.bench.load.Protocol;
import weft.bench.load.ThroughputResult;
import weft.bench.load.TlsHandshakes;

/**
 * {@code weft bench proxy}: the same load through each path (direct, weft one hop with concurrency 1
 * and 2, weft client sidecar -> server sidecar over mTLS), one path at a time against one backend, so
 * the paths' figures come from the same machine in the same minutes and their ratios mean something.
 */
public final class ProxyBench {
  private final ProxyBenchSettings settings;
  private final PrintStream progress;
  private final Path work;
  private final Tables tables;

  private ProxyBench(ProxyBenchSettings settings, PrintStream progress, Path work) {
    this.settings = settings;
    this.progress = progress;
    this.work = work;
    this.tables = new Tables(settings.rates());
  }

  /** Runs every path and returns the markdown report. */
  public static String run(ProxyBenchSettings settings, PrintStream progress) throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("weft-bench-");
    ProxyBench bench = new ProxyBench(settings, progress, work);
    String loadBefore = Machine.loadAverage();
    // not driven yet: every peer is reported as not used, installed or not
    Peers none = new Peers(false, false, false, false, false);
    List<String> skipped = new ArrayList<>();
    for (String s : none.skipped()) {
      String tool = s.substring(0, s.indexOf(' '));
      skipped.add(Peers.installed(tool.equals("h2load") ? "h2load" : tool) ? tool + ": installed, but this harness does not yet drive it" : s);
    }
    skipped.forEach(s -> progress.println("weft bench: skipped " + s));
    try (Backend backend = Backend.start(1); ClientGroup clients = new ClientGroup(2)) {
      bench.runAll(backend.port(), clients);
    }
    return Machine.describe(settings, loadBefore, Machine.loadAverage(), work)
        + "## Peers and tools not used\n\n" + skipped.stream().map(s -> "- " + s + "\n").collect(java.util.stream.Collectors.joining()) + "\n"
        + bench.tables.markdown();
  }

  private void runAll(int backendPort, ClientGroup clients) throws IOException, InterruptedException {
    measurePath(Table.DIRECT, backendPort, List.of(), clients);
    for (int concurrency : new int[] {1, 2}) {
      int port = freePort();
      Path cfg = write("one-hop-c" + concurrency + ".yaml", Bootstraps.plainHop(port, backendPort));
      String name = "weft 1 hop, concurrency " + concurrency;
      try (ProxyProcess p = startWeft("weft-c" + concurrency, cfg, concurrency, port)) {
        measurePath(name, port, List.of(p), clients);
        tables.memory(name, p.peakRssMiB());
      }
    }
    BenchPki pki = BenchPki.create(work);
    BenchPki.Leaf client = pki.issue("client");
    BenchPki.Leaf server = pki.issue("server");
    int serverPort = freePort();
    int clientPort = freePort();
    Path serverCfg = write("server-sidecar.yaml",
        Bootstraps.serverSidecar(serverPort, backendPort, pki, server, client.spiffeId()));
    Path clientCfg = write("client-sidecar.yaml",
        Bootstraps.clientSidecar(clientPort, serverPort, pki, client, server.spiffeId()));
    String name = "weft 2 hops, mTLS (sidecar -> sidecar)";
    try (ProxyProcess s = startWeft("weft-server-sidecar", serverCfg, 1, serverPort);
        ProxyProcess c = startWeft("weft-client-sidecar", clientCfg, 1, clientPort)) {
      measurePath(name, clientPort, List.of(c, s), clients);
      progress.println("weft bench: new mTLS handshakes through the server sidecar");
      SslContext tls = SslContextBuilder.forClient()
          .keyManager(client.privateKey(), client.x509())
          .trustManager(pki.ca())
          // mesh identity is the SPIFFE URI SAN, not a hostname; the sidecar checks ours
          .endpointIdentificationAlgorithm(null)
          .build();
      double cpu0 = cpu(List.of(s));
      ThroughputResult hs = TlsHandshakes.run(clients, new LoadTarget("127.0.0.1", serverPort, "/small"), tls,
          Math.min(settings.connections(), 8), settings.perMeasurement());
      tables.handshakes("weft server sidecar (1 hop, concurrency 1)", hs, perThousand(cpu(List.of(s)) - cpu0, hs.ok()));
      tables.memory(name, c.peakRssMiB() + s.peakRssMiB());
    }
  }

  private void measurePath(String name, int port, List<ProxyProcess> procs, ClientGroup clients)
      throws InterruptedException {
    LoadTarget small = new LoadTarget("127.0.0.1", port, "/small");
    LoadTarget large = new LoadTarget("127.0.0.1", port, "/large");
    warmUp(name, small, large, clients);
    Duration d = settings.perMeasurement();
    for (LoadTarget t : List.of(small, large)) {
      progress.println("weft bench: " + name + ": closed loop " + t.path());
      double cpu0 = cpu(procs);
      ThroughputResult r = ClosedLoop.run(clients, t, settings.connections(), d);
      tables.throughput(t == small, name, r, perThousand(cpu(procs) - cpu0, r.ok()));
    }
    for (int rate : settings.rates()) {
      for (Protocol protocol : Protocol.values()) {
        progress.println("weft bench: " + name + ": " + rate + " req/s over " + protocol.label());
        double cpu0 = cpu(procs);
        LatencyResult r = OpenLoop.run(clients, small, protocol, rate, settings.connections(), d);
        tables.latency(rate, protocol, name, r, perThousand(cpu(procs) - cpu0, r.ok()));
      }
    }
  }

  /**
   * A fresh JVM answers its first requests hundreds of times slower than after JIT compilation, so
   * warm up until {@link #WARM_RESPONSES} responses have come back (at least the warm-up time, at
   * most 20 s: a path that answers nothing shows as zeros) on both bodies and over h2c, and then measure.
   */
  private void warmUp(String name, LoadTarget small, LoadTarget large, ClientGroup clients) throws InterruptedException {
    progress.println("weft bench: " + name + ": warm-up");
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long minEnd = System.nanoTime() + settings.warmup().toNanos();
    long ok = 0;
    Duration slice = Duration.ofMillis(Math.max(1000, settings.warmup().toMillis() / 2));
    while (System.nanoTime() < deadline && (ok < WARM_RESPONSES || System.nanoTime() < minEnd)) {
      ok += ClosedLoop.run(clients, small, settings.connections(), slice).ok();
      ClosedLoop.run(clients, large, settings.connections(), Duration.ofMillis(100));
    }
    OpenLoop.run(clients, small, Protocol.H2C, settings.rates().get(0), settings.connections(), slice);
  }

  private static final long WARM_RESPONSES = 2_000;

  private ProxyProcess startWeft(String name, Path cfg, int concurrency, int port)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(settings.weftCommand());
    cmd.addAll(List.of("proxy", "-c", cfg.toString(), "--concurrency", Integer.toString(concurrency)));
    progress.println("weft bench: starting " + name + " on port " + port);
    return ProxyProcess.start(name, cmd, work.resolve(name + ".log"), port, Duration.ofSeconds(90));
  }

  private Path write(String file, String text) throws IOException {
    return Files.writeString(work.resolve(file), text);
  }

  private static double cpu(List<ProxyProcess> procs) {
    if (procs.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (ProxyProcess p : procs) {
      sum += p.cpuSeconds();
    }
    return sum;
  }

  private static double perThousand(double cpuSeconds, long requests) {
    return requests == 0 ? Double.NaN : cpuSeconds * 1000.0 / requests;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
