package weft.cli.demo;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import weft.cli.demo.apps.JobsApi;
import weft.cli.demo.apps.MeshClient;
import weft.cli.demo.apps.Tweeter;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;
import weft.controlplane.SnapshotTranslator;

/**
 * The running demo: control plane (config dir under the data dir), jobs-api, and one in-process
 * weft proxy per workload, each on its own loopback address. {@link #close} stops everything and
 * leaves nothing listening.
 */
public final class Demo implements AutoCloseable {
  static final String NAMESPACE = "default";
  static final List<String> WORKLOADS = List.of("jobs-api", "tweet", "recruiter");
  static final int OUTBOUND_PORT = 15001;
  static final int APP_PORT_OFFSET = 10000;
  static final String TRUST_DOMAIN = "cluster.local";

  private final DemoOptions options;
  private final DemoResources resources;
  private final Consumer<String> log;
  private final List<AutoCloseable> parts = new ArrayList<>();
  private final List<Sidecar> sidecars = new ArrayList<>();
  private FileLock lock;
  private ControlPlane cp;
  private SnapshotTranslator translator;
  private Tweeter tweeter;
  private int stage;
  private boolean closed;

  private Demo(DemoOptions options, DemoResources resources, Consumer<String> log) {
    this.options = options;
    this.resources = resources;
    this.log = log;
  }

  /**
   * Starts every part and waits until each proxy serves its first config; on failure stops what
   * started and throws a {@link DemoException} saying what to do.
   */
  public static Demo start(DemoOptions options, Consumer<String> log) throws DemoException {
    Demo demo = new Demo(options, new DemoResources(options.net(), jobsPort(options.net(), log)), log);
    try {
      demo.startParts();
      return demo;
    } catch (DemoException | RuntimeException e) {
      demo.close();
      throw e;
    } catch (IOException e) {
      demo.close();
      throw new DemoException("cannot start the demo: " + e.getMessage(), e);
    }
  }

  /** 80 as in the story; 8080 when this user may not bind ports below 1024. */
  private static int jobsPort(String net, Consumer<String> log) throws DemoException {
    String host = net + ".1";
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(host), 80));
      return 80;
    } catch (BindException e) {
      if (String.valueOf(e.getMessage()).contains("ermission")) {
        log.accept("note: this user may not bind ports below 1024: jobs-api uses port 8080 instead of 80");
        return 8080;
      }
      if (String.valueOf(e.getMessage()).contains("in use")) {
        throw portInUse(host, 80, "jobs-api's inbound listener");
      }
      throw cannotBind(host, e);
    } catch (IOException e) {
      throw cannotBind(host, e);
    }
  }

  private void startParts() throws IOException, DemoException {
    Path dataDir = options.dataDir().toAbsolutePath();
    Files.createDirectories(dataDir);
    lock(dataDir.resolve("demo.lock"));
    String net = options.net();
    checkFree(resources.address(1), resources.port(), "jobs-api's inbound listener");
    checkFree(resources.address(1), resources.port() + APP_PORT_OFFSET, "the jobs-api app");
    for (int i = 1; i <= WORKLOADS.size(); i++) {
      checkFree(resources.address(i), OUTBOUND_PORT, WORKLOADS.get(i - 1) + "'s outbound listener");
    }
    Path configDir = configDir();
    resources.writeAll(configDir, options.stage() == 0 ? 1 : options.stage());
    Path cpData = dataDir.resolve("controlplane");
    ControlPlaneOptions cpOptions = ControlPlaneOptions.defaults(Optional.of(configDir), cpData)
        .withPorts(options.xdsPort(), options.apiPort());
    try {
      cp = ControlPlane.start(cpOptions);
      // what the proxies are served is this function of the store: ProxySync compares against it
      translator = cp.translator();
    } catch (weft.controlplane.PortInUseException e) {
      throw new DemoException("the control plane's " + e.server() + " port " + e.port() + " on 127.0.0.1 is in use"
          + " (another control plane?); stop what holds it or pass --" + e.server() + "-port", e);
    }
    parts.add(cp);
    parts.add(JobsApi.start(new InetSocketAddress(InetAddress.getByName(resources.address(1)),
        resources.port() + APP_PORT_OFFSET)));
    ProxySync.awaitPublished(cp, WORKLOADS.stream().map(w -> NAMESPACE + "/" + w).toList());
    for (int i = 0; i < WORKLOADS.size(); i++) {
      String node = NAMESPACE + "/" + WORKLOADS.get(i);
      Sidecar s = Sidecar.start(node, InetAddress.getByName(resources.address(i + 1)), "127.0.0.1", cp.xdsPort(),
          cp.apiPort(), cp.tokenFile(node));
      sidecars.add(s);
      parts.add(s);
    }
    stage = options.stage() == 0 ? 1 : options.stage();
    new ProxySync(cp, translator, sidecars).await(-1);
    if (options.traffic()) {
      tweeter = Tweeter.start(client("tweet"), log, options.tweetPeriodSeconds());
      parts.add(tweeter);
    }
    log.accept("demo up: " + net + ".1 jobs-api, " + net + ".2 tweet, " + net + ".3 recruiter; control plane api http://127.0.0.1:"
        + cp.apiPort());
  }

  /**
   * Puts {@code stage}'s policy in force (rewrites {@code policy.yaml}) and returns once every proxy
   * has ACKed the resulting config.
   */
  public void stage(int n) throws DemoException {
    try {
      long before = cp.xds().version();
      boolean changed = resources.writeStage(configDir(), n);
      stage = n;
      new ProxySync(cp, translator, sidecars).await(changed ? before : -1);
    } catch (IOException e) {
      throw new DemoException("cannot write " + configDir().resolve(DemoResources.POLICY) + ": " + e.getMessage(), e);
    }
  }

  public int stage() {
    return stage;
  }

  /** What {@code workload}'s app uses: its sidecar's outbound listener, with {@code Host: jobs-api}. */
  public MeshClient client(String workload) {
    int host = WORKLOADS.indexOf(workload) + 1;
    if (host == 0) {
      throw new IllegalArgumentException("no demo workload " + workload + " (expected one of " + WORKLOADS + ")");
    }
    return new MeshClient(workload, new InetSocketAddress(resources.address(host), OUTBOUND_PORT), "jobs-api");
  }

  /** jobs-api's inbound listener: what a client without a sidecar would have to call. */
  public InetSocketAddress jobsApiInbound() {
    return new InetSocketAddress(resources.address(1), resources.port());
  }

  public DemoResources resources() {
    return resources;
  }

  public Path configDir() {
    return options.dataDir().toAbsolutePath().resolve("config");
  }

  public int apiPort() {
    return cp.apiPort();
  }

  /** The flow records the sidecars reported to the control plane. */
  weft.controlplane.flows.FlowStore flows() {
    return cp.flows();
  }

  static String spiffeId(String workload) {
    return "spiffe://" + TRUST_DOMAIN + "/ns/" + NAMESPACE + "/sa/" + workload;
  }

  /** Certificate expiry per workload, for the mTLS statement. */
  Map<String, java.time.Instant> certificates() {
    Map<String, java.time.Instant> m = new java.util.LinkedHashMap<>();
    sidecars.forEach(s -> m.put(s.nodeId(), s.certificateExpiry()));
    return m;
  }

  private void lock(Path file) throws IOException, DemoException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new DemoException("another weft demo is running with data dir " + file.getParent() + " (it holds " + file
          + "); stop it with Ctrl-C, or run this one with another --data-dir and --network", null);
    }
    ch.truncate(0);
    ch.write(java.nio.ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes()));
  }

  private static void checkFree(String host, int port, String what) throws DemoException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getByName(host), port));
    } catch (BindException e) {
      if (String.valueOf(e.getMessage()).contains("in use")) {
        throw portInUse(host, port, what);
      }
      throw cannotBind(host, e);
    } catch (IOException e) {
      throw cannotBind(host, e);
    }
  }

  private static DemoException portInUse(String host, int port, String what) {
    return new DemoException("port " + port + " on " + host + " (" + what + ") is already in use; stop what holds it"
        + " (e.g. `ss -ltnp 'sport = :" + port + "'`) or move the demo to another loopback network with --network 127.0.21",
        null);
  }

  private static DemoException cannotBind(String host, IOException e) {
    return new DemoException("cannot listen on " + host + ": " + e.getMessage() + " (the demo gives each workload its own"
        + " loopback address; on macOS add them first: sudo ifconfig lo0 alias " + host + " up)", e);
  }

  /** Stops tweet, the proxies, jobs-api and the control plane, then releases the lock. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (AutoCloseable c : parts.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.accept("warning: stopping " + c.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
    if (lock != null) {
      try {
        lock.release();
        lock.channel().close();
      } catch (IOException e) {
        log.accept("warning: releasing the demo lock: " + e.getMessage());
      }
    }
  }

  /** A failure with the message to print. */
  public static final class DemoException extends Exception {
    public DemoException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
