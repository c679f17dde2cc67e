package weft.bench.controlplane;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;
import weft.controlplane.ca.CertificateAuthority;
import weft.controlplane.translate.TranslateOptions;
import weft.proxy.xds.XdsTls;

/**
 * One cell of the matrix: writes the mesh into a temporary config dir, starts a real {@link
 * ControlPlane} on it (port 0), connects the simulated proxies over a few shared channels, waits for
 * the initial sync, then runs the rounds: edit the tier-0 policy file, add an endpoint file, and
 * after each wait for every affected proxy's ACK. Everything runs in this JVM.
 */
final class CellRun {
  /** HTTP/2 connections the simulated proxies share (each proxy is one stream). */
  private static final int CHANNELS = 4;
  /** mTLS handshakes let in flight at once while the sidecars connect. */
  private static final int HANDSHAKE_WAVE = 50;
  /**
   * How often waits look: only the write-to-published figure depends on it (the ACK figures are the
   * proxies' own timestamps), so the other waits look less often and only at proxies still pending:
   * every look at a served version takes the xDS server's lock.
   */
  private static final Duration POLL_VERSION = Duration.ofMillis(1);
  private static final Duration POLL_PROXIES = Duration.ofMillis(20);
  private static final String CLUSTER_DOMAIN = "cluster.local"; // as ControlPlane's

  private final MeshFiles mesh;
  private final boolean mtls;
  private long certNanos = -1;
  private final int rounds;
  private final Duration timeout;
  private final PrintWriter progress;
  private final AtomicLong bytes = new AtomicLong();
  private final List<SimulatedProxy> sims = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private EventLoopGroup sidecarLoops;

  // what is measured so far, kept when a later step fails
  private long syncNanos = -1;
  private long syncBytes = -1;
  private CpuTime.Reading syncCpu;
  private int clustersPerProxy = -1;
  private long fullTranslate = -1;
  private long fullTranslateCpu = -1;
  private long heapSync = -1;
  private long heapEnd = -1;
  private final List<ChangeResult> changes = new ArrayList<>();

  CellRun(MeshFiles mesh, int rounds, Duration timeout, boolean mtls, PrintWriter progress) {
    this.mesh = mesh;
    this.mtls = mtls;
    this.rounds = rounds;
    this.timeout = timeout;
    this.progress = progress;
  }

  CellResult run() throws IOException, InterruptedException {
    Path work = Files.createTempDirectory("weft-bench-cp-");
    Path config = work.resolve("config");
    Path data = work.resolve("data");
    TimedTranslator translator = null;
    Optional<String> failure = Optional.empty();
    try {
      mesh.write(config);
      long heapBase = heapAfterGc();
      // the CA the control plane will load from the data dir: the translator serves its bundle
      CertificateAuthority ca = CertificateAuthority.open(data, Optional.empty(), Optional.empty(), Optional.empty(),
          Clock.systemUTC());
      ControlPlaneOptions options = ControlPlaneOptions.defaults(Optional.of(config), data).withPorts(0, 0);
      if (!mtls) {
        options = options.withInsecureXdsPort(0);
      }
      translator = new TimedTranslator(new TranslateOptions(
          options.trustDomain(), options.rootNamespace(), CLUSTER_DOMAIN, ca.trustBundlePem()));
      // what each sidecar gets with its bootstrap token before it may open its ADS stream: not timed
      // as sync (a real sidecar has its certificate before it connects), reported on its own
      List<XdsTls> certs = List.of();
      if (mtls) {
        long t0 = System.nanoTime();
        certs = SidecarCertificates.issue(ca, mesh.spiffeIds(options.trustDomain()));
        certNanos = System.nanoTime() - t0;
      }
      CpuTime.Reading cpu0 = CpuTime.now();
      long start = System.nanoTime();
      try (ControlPlane cp = ControlPlane.start(options, Optional.of(translator))) {
        connect(mtls ? cp.xdsPort() : cp.insecureXdsPort().getAsInt(), certs);
        Set<SimulatedProxy> pending = new HashSet<>(sims);
        await(() -> {
          pending.removeIf(s -> synced(cp, s));
          if (pending.isEmpty()) {
            // a proxy counted early may have been pushed a newer version since
            sims.stream().filter(s -> !synced(cp, s)).forEach(pending::add);
          }
          return pending.isEmpty();
        }, POLL_PROXIES, "the initial sync of " + sims.size() + " proxies");
        // the proxies' own timestamps: when the last of them sent its last ACK
        syncNanos = sims.stream().flatMap(s -> s.acked().values().stream()).mapToLong(SimulatedProxy.Ack::nanos)
            .max().orElseThrow() - start;
        syncCpu = CpuTime.now().minus(cpu0);
        syncBytes = bytes.get();
        clustersPerProxy = cp.xds().servedTo(sims.getFirst().nodeId()).map(s -> s.clusters().size()).orElse(0);
        progress.printf("weft bench controlplane: %d proxies x %d services synced in %.1f s%n",
            mesh.proxies(), mesh.services(), syncNanos / 1e9);
        heapSync = heapAfterGc() - heapBase;
        fullTranslation(cp, translator);
        measureRounds(cp, config, translator);
        heapEnd = heapAfterGc() - heapBase;
      }
    } catch (BenchTimeout e) {
      failure = Optional.of(e.getMessage());
      progress.println("weft bench controlplane: " + e.getMessage());
    } finally {
      closeClients();
      deleteRecursively(work);
    }
    return new CellResult(mesh.proxies(), mesh.services(), failure, syncNanos, syncBytes, syncCpu, clustersPerProxy,
        fullTranslate, fullTranslateCpu, heapSync, heapEnd, changes, translator == null ? List.of() : translator.lastProblems(),
        certNanos);
  }

  /**
   * Plaintext ({@code certs} empty): the proxies share {@value #CHANNELS} connections. mTLS: one
   * connection per proxy with its own certificate, as the control plane authorizes each connection
   * for one identity (and as real sidecars connect).
   */
  private void connect(int port, List<XdsTls> certs) throws InterruptedException {
    // the proxies' own threads (not grpc's shared ones, which the xDS server uses too), so their CPU
    // time can be told apart from the control plane's
    sidecarLoops = new MultiThreadIoEventLoopGroup(2, new DefaultThreadFactory("bench-sidecars", true),
        NioIoHandler.newFactory());
    int n = certs.isEmpty() ? Math.min(CHANNELS, mesh.proxies()) : certs.size();
    for (int i = 0; i < n; i++) {
      NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", port);
      b = certs.isEmpty() ? b.usePlaintext() : b.sslContext(certs.get(i).sslContext());
      // callbacks on the transport threads: a simulated proxy only ACKs, it never blocks
      channels.add(b.directExecutor().eventLoopGroup(sidecarLoops).channelType(NioSocketChannel.class)
          .maxInboundMessageSize(Integer.MAX_VALUE).build());
    }
    List<String> ids = mesh.nodeIds();
    for (int i = 0; i < ids.size(); i++) {
      if (!certs.isEmpty() && i % HANDSHAKE_WAVE == 0) {
        awaitConnected(i - HANDSHAKE_WAVE, i);
      }
      SimulatedProxy s = new SimulatedProxy(ids.get(i), channels.get(i % channels.size()), bytes);
      sims.add(s);
      s.start();
    }
  }

  /**
   * mTLS: at most {@value #HANDSHAKE_WAVE} handshakes in flight. A thousand at once on a loaded
   * 2-core machine outlasted Netty's 10 s handshake timeout and a simulated sidecar does not
   * reconnect (a real one does, with backoff); sidecars of a real mesh do not all start at the same
   * instant either. The waiting is part of the sync time.
   */
  private void awaitConnected(int from, int to) throws InterruptedException {
    for (int i = Math.max(0, from); i < to; i++) {
      int sidecar = i;
      ManagedChannel ch = channels.get(i);
      await(() -> {
        io.grpc.ConnectivityState st = ch.getState(true);
        if (st == io.grpc.ConnectivityState.TRANSIENT_FAILURE) {
          throw new BenchTimeout("sidecar " + sidecar + "'s mTLS connection failed");
        }
        return st == io.grpc.ConnectivityState.READY;
      }, POLL_PROXIES, "sidecar " + sidecar + "'s mTLS connection");
    }
  }

  /** Whether the proxy ACKed, for every type, the version the control plane serves it now. */
  private static boolean synced(ControlPlane cp, SimulatedProxy s) {
    Optional<Map<String, String>> served = cp.xds().servedVersions(s.nodeId());
    if (served.isEmpty()) {
      return false;
    }
    for (Map.Entry<String, String> e : served.get().entrySet()) {
      SimulatedProxy.Ack a = s.acked().get(e.getKey());
      if (a == null || !a.version().equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** Three translations of the synced store on this thread, while the control plane is idle. */
  private void fullTranslation(ControlPlane cp, TimedTranslator translator) {
    int from = translator.count();
    for (int i = 0; i < 3; i++) {
      translator.translateFromScratch(cp.store().state().resources());
    }
    fullTranslate = (long) Percentiles.of(translator.since(from)).percentile(50);
    fullTranslateCpu = (long) Percentiles.of(translator.cpuSince(from)).percentile(50);
  }

  private void measureRounds(ControlPlane cp, Path config, TimedTranslator translator)
      throws IOException, InterruptedException {
    RoundLog policy = new RoundLog();
    RoundLog endpoint = new RoundLog();
    try {
      for (int r = 1; r <= rounds; r++) {
        int round = r;
        measure(cp, translator, policy, "policy edit, round " + r,
            () -> MeshFiles.write(config, MeshFiles.POLICY_FILE, mesh.tier0Policy(round)));
        measure(cp, translator, endpoint, "endpoint added, round " + r,
            () -> MeshFiles.write(config, mesh.addedEndpointFile(round), mesh.addedEndpoint(round)));
      }
    } finally {
      changes.add(policy.result("policy edit (AuthorizationPolicy file, tier t0)"));
      changes.add(endpoint.result("endpoint added (Workload file, a replica)"));
    }
  }

  interface FileChange {
    void apply() throws IOException;
  }

  private void measure(ControlPlane cp, TimedTranslator translator, RoundLog log, String what, FileChange change)
      throws IOException, InterruptedException {
    Map<String, Map<String, String>> before = served(cp);
    long version = cp.xds().version();
    int translations = translator.count();
    long bytes0 = bytes.get();
    CpuTime.Reading cpu0 = CpuTime.now();
    long start = System.nanoTime();
    change.apply();
    await(() -> cp.xds().version() != version, POLL_VERSION, what + ": a new xDS version");
    long published = System.nanoTime() - start;
    Map<String, Map<String, String>> after = served(cp);
    // a proxy is affected when a type it subscribes to got a new version; it has converged when it
    // has ACKed that version of every such type
    Map<SimulatedProxy, Map<String, String>> targets = new HashMap<>();
    for (SimulatedProxy s : sims) {
      Map<String, String> changed = new HashMap<>(after.get(s.nodeId()));
      changed.entrySet().removeIf(e -> e.getValue().equals(before.get(s.nodeId()).get(e.getKey())));
      if (!changed.isEmpty()) {
        targets.put(s, changed);
      }
    }
    Set<SimulatedProxy> pending = new HashSet<>(targets.keySet());
    await(() -> {
      pending.removeIf(s -> acked(s, targets.get(s)));
      return pending.isEmpty();
    }, POLL_PROXIES, what + ": ACKs from " + targets.size() + " affected proxies");
    long[] perProxy = targets.entrySet().stream().mapToLong(e -> e.getValue().keySet().stream()
        .mapToLong(t -> e.getKey().acked().get(t).nanos() - start).max().orElseThrow()).toArray();
    log.add(targets.size(), translator.translatedSince(translations), perProxy, published, translator.since(translations),
        translator.cpuSince(translations),
        bytes.get() - bytes0, CpuTime.now().minus(cpu0));
  }

  private static boolean acked(SimulatedProxy s, Map<String, String> versions) {
    for (Map.Entry<String, String> e : versions.entrySet()) {
      SimulatedProxy.Ack a = s.acked().get(e.getKey());
      if (a == null || !a.version().equals(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  private Map<String, Map<String, String>> served(ControlPlane cp) {
    Map<String, Map<String, String>> m = new HashMap<>();
    for (SimulatedProxy s : sims) {
      m.put(s.nodeId(), cp.xds().servedVersions(s.nodeId()).orElse(Map.of()));
    }
    return m;
  }

  /** Polls: the figures come from the proxies' own ACK timestamps, not from when this notices. */
  private void await(BooleanSupplier done, Duration poll, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      for (SimulatedProxy s : sims) {
        if (!s.failure().isEmpty()) {
          throw new BenchTimeout(what + ": proxy " + s.nodeId() + ": " + s.failure());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new BenchTimeout(what + ": not done after " + timeout.toSeconds() + " s (raise --timeout)");
      }
      Thread.sleep(poll);
    }
  }

  private void closeClients() throws InterruptedException {
    sims.forEach(SimulatedProxy::close);
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (sidecarLoops != null) {
      sidecarLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  static long heapAfterGc() {
    System.gc();
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** A wait that did not end: the cell stops, its figures so far are reported. */
  static final class BenchTimeout extends RuntimeException {
    BenchTimeout(String message) {
      super(message);
    }
  }
}
