package weft.controlplane;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.api.Workload;
import weft.controlplane.api.ApiBackend;
import weft.controlplane.api.ApiServer;
import weft.controlplane.ca.BootstrapTokens;
import weft.controlplane.ca.CertificateAuthority;
import weft.controlplane.ca.CertificateService;
import weft.controlplane.ca.ServingCertificate;
import weft.controlplane.flows.AccessLogCollector;
import weft.controlplane.flows.FlowEnricher;
import weft.controlplane.flows.FlowStore;
import weft.controlplane.store.ApiSource;
import weft.controlplane.store.ConfigDirSource;
import weft.controlplane.store.Store;
import weft.controlplane.store.StoreState;
import weft.controlplane.translate.IncrementalTranslator;
import weft.controlplane.translate.TranslateOptions;
import weft.controlplane.translate.Translator;
import weft.controlplane.xds.ProxySnapshot;
import weft.controlplane.xds.NodeAuthorizer;
import weft.controlplane.xds.ProxyStatusRegistry;
import weft.controlplane.xds.XdsServer;
import weft.policy.engine.EngineOptions;

/**
 * A running control plane: store (config dir + applied resources) -> translator -> xDS server, the
 * CA with bootstrap tokens, and the HTTP API. Used by {@code weft controlplane} and {@code weft
 * demo}. Translation runs on its own thread, coalescing bursts of changes: only the newest revision
 * is translated and published.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  /** The DNS suffix of service hosts ({@code svc.ns.svc.cluster.local}), as Kubernetes' default. */
  static final String CLUSTER_DOMAIN = "cluster.local";

  private final ControlPlaneOptions options;
  private final Store store = new Store();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private final ExecutorService translateThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "weft-translate");
    t.setDaemon(true);
    return t;
  });
  private final AtomicReference<StoreState> latest = new AtomicReference<>();
  private final AtomicBoolean queued = new AtomicBoolean();
  private final Set<String> tokenFiles = new HashSet<>();
  private final Optional<SnapshotTranslator> customTranslator;
  private SnapshotTranslator translator;
  private ProxySnapshot publishedDefault;
  private volatile List<String> translationProblems = List.of();
  private long publishedRevision = -1;
  private BootstrapTokens tokens;
  private XdsServer xds;
  private ApiServer api;
  private FlowStore flows;
  private ServingCertificate serving;

  private ControlPlane(ControlPlaneOptions options, Optional<SnapshotTranslator> translator) {
    this.options = options;
    this.customTranslator = translator;
  }

  /** Starts with weft's translator ({@link IncrementalTranslator}, equal to {@link Translator#translateAll}). */
  public static ControlPlane start(ControlPlaneOptions options) throws IOException {
    return start(options, Optional.empty());
  }

  /**
   * Starts every part, translating with {@code translator} (tests) or weft's incremental translator when empty;
   * on failure, closes what was started and rethrows.
   *
   * @throws PortInUseException if the xDS or API port is taken
   */
  public static ControlPlane start(ControlPlaneOptions options, Optional<SnapshotTranslator> translator)
      throws IOException {
    ControlPlane cp = new ControlPlane(options, translator);
    try {
      cp.startParts();
      return cp;
    } catch (IOException | RuntimeException e) {
      cp.close();
      throw e;
    }
  }

  private void startParts() throws IOException {
    Files.createDirectories(options.dataDir());
    CertificateAuthority ca = CertificateAuthority.open(
        options.dataDir(), options.caCert(), options.caKey(), options.caChain(), Clock.systemUTC());
    tokens = new BootstrapTokens(options.dataDir());
    CertificateService certificates = new CertificateService(ca, tokens, this::spiffeIdOf);

    ApiSource apiSource = ApiSource.open(store, options.dataDir());
    if (options.configDir().isPresent()) {
      closeables.add(ConfigDirSource.start(options.configDir().get(), store));
    }
    ProxyStatusRegistry statuses = new ProxyStatusRegistry();
    EngineOptions policy = new EngineOptions(options.trustDomain(), options.rootNamespace());
    flows = new FlowStore(options.flowBuffer());
    AccessLogCollector collector = new AccessLogCollector(new FlowEnricher(store::state, policy, CLUSTER_DOMAIN), flows);
    // the xDS port speaks mTLS only: the control plane's own certificate from the mesh CA, a
    // client certificate required, each stream allowed only as the node its certificate is for
    serving = ServingCertificate.start(ca, options.trustDomain(), servingAddresses(), List.of("localhost"),
        CertificateAuthority.DEFAULT_TTL, Clock.systemUTC());
    closeables.add(serving);
    XdsServer.Tls tls = new XdsServer.Tls(serving.keyManager(), serving.clientTrust(),
        new NodeAuthorizer(this::spiffeIdOf, statuses));
    Optional<InetSocketAddress> insecure = options.insecureXdsPort() == ControlPlaneOptions.NO_INSECURE_XDS
        ? Optional.empty() : Optional.of(new InetSocketAddress(options.bind(), options.insecureXdsPort()));
    try {
      // proxies stream access logs to the address they get xDS from
      xds = XdsServer.start(new InetSocketAddress(options.bind(), options.xdsPort()), tls, insecure, statuses,
          List.of(collector));
    } catch (XdsServer.InsecurePortException e) {
      throw bindFailure("insecure-xds", options.insecureXdsPort(), e);
    } catch (IOException e) {
      throw bindFailure("xds", options.xdsPort(), e);
    }
    closeables.add(xds);
    // sidecars send flows to the xDS port: the translator needs it, so it is made once xDS is up
    TranslateOptions translateOptions = new TranslateOptions(
        options.trustDomain(), options.rootNamespace(), CLUSTER_DOMAIN, ca.trustBundlePem())
        .withFlowCollector(new InetSocketAddress(options.advertisedAddress(), xds.port()));
    // weft's translator re-translates only the proxies a change can affect (the others keep their
    // snapshot objects, so the xDS server pushes them nothing); its output equals translateAll's
    IncrementalTranslator incremental = new IncrementalTranslator(translateOptions);
    translator = customTranslator.orElse(incremental::translate);
    try {
      api = ApiServer.start(new InetSocketAddress(options.bind(), options.apiPort()),
          new ApiBackend(store, apiSource, statuses, tokens, certificates, policy, xds::version,
              () -> translationProblems, flows, collector));
    } catch (IOException e) {
      throw bindFailure("api", options.apiPort(), e);
    }
    closeables.add(api);
    store.addListener(this::changed);
    changed(store.state());
    log.info("control plane up: xds (mTLS, {}) on {}:{}{}, api on http://{}:{}, data in {}{}", serving.spiffeId(),
        options.bind().getHostAddress(), xdsPort(),
        insecureXdsPort().isPresent() ? ", plaintext xds on port " + insecureXdsPort().getAsInt() : "",
        options.bind().getHostAddress(), apiPort(), options.dataDir(),
        options.configDir().map(d -> ", watching " + d).orElse(""));
  }

  private static IOException bindFailure(String server, int port, IOException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof BindException) {
        return new PortInUseException(server, port, e);
      }
    }
    return e;
  }

  /** IP SANs of the serving certificate: the addresses proxies may dial. */
  private List<InetAddress> servingAddresses() {
    Set<InetAddress> ips = new LinkedHashSet<>();
    if (!options.bind().isAnyLocalAddress()) {
      ips.add(options.bind());
    }
    ips.add(options.advertisedAddress());
    ips.add(InetAddress.getLoopbackAddress());
    return List.copyOf(ips);
  }

  private Optional<String> spiffeIdOf(String workload) {
    int slash = workload.indexOf('/');
    if (slash <= 0 || slash == workload.length() - 1) {
      return Optional.empty();
    }
    return store.state().resources().workload(workload.substring(0, slash), workload.substring(slash + 1))
        .map(w -> "spiffe://" + options.trustDomain() + "/ns/" + w.metadata().namespace() + "/sa/" + w.serviceAccount());
  }

  /** Store listener: hands the newest state to the translate thread, once per burst. */
  private void changed(StoreState state) {
    latest.set(state);
    if (queued.compareAndSet(false, true)) {
      try {
        translateThread.execute(this::translateLatest);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** Runs on the translate thread only. */
  private void translateLatest() {
    queued.set(false);
    StoreState state = latest.get();
    if (state.revision() == publishedRevision) {
      return;
    }
    try {
      for (Workload w : state.resources().workloads()) {
        String key = w.metadata().namespace() + "/" + w.metadata().name();
        if (tokenFiles.add(key)) {
          tokens.tokenFile(key); // the workload's proxy reads its bootstrap token here
        }
      }
      Translator.Translation t = translator.translate(state.resources());
      // the first time, the default goes first: the xDS server serves nobody before the first
      // publish, and then gives nodes without a snapshot of their own the default. Later, workloads
      // go first: a proxy served the default while its workload was unknown would otherwise be
      // pushed the new default's gRPC API listeners, which it NACKs, before its own snapshot
      boolean first = publishedDefault == null;
      if (first) {
        xds.setDefaultSnapshot(t.proxyless());
        publishedDefault = t.proxyless();
      }
      xds.publish(t.snapshots());
      if (!first && !t.proxyless().equals(publishedDefault)) {
        xds.setDefaultSnapshot(t.proxyless());
        publishedDefault = t.proxyless();
      }
      if (!t.problems().equals(translationProblems)) {
        t.problems().forEach(p -> log.warn("revision {}: not translated: {}", state.revision(), p));
      }
      translationProblems = t.problems();
      log.info("published revision {} to {} proxies (xds version {})", state.revision(), t.snapshots().size(), xds.version());
      publishedRevision = state.revision();
    } catch (IOException | RuntimeException e) {
      log.error("translating revision {} failed; proxies keep the previous configuration", state.revision(), e);
    }
  }

  public int xdsPort() {
    return xds.port();
  }

  /** The plaintext xDS port, when {@link ControlPlaneOptions#insecureXdsPort()} asked for one. */
  public java.util.OptionalInt insecureXdsPort() {
    return xds.insecurePort();
  }

  /** The control plane's certificate on the xDS port (its SPIFFE ID: {@link ServingCertificate#spiffeId}). */
  public ServingCertificate servingCertificate() {
    return serving;
  }

  public int apiPort() {
    return api.port();
  }

  public Store store() {
    return store;
  }

  /** The xDS server (what each node was served: {@link XdsServer#servedTo}). */
  public XdsServer xds() {
    return xds;
  }

  /** The flow records proxies reported (access log service on the xDS port). */
  public FlowStore flows() {
    return flows;
  }

  /** The translator in use: what each node is served is this function of the store's resources. */
  public SnapshotTranslator translator() {
    return translator;
  }

  public ProxyStatusRegistry proxies() {
    return xds.statuses();
  }

  public BootstrapTokens tokens() {
    return tokens;
  }

  /** Where the bootstrap token of {@code ns/name} is written, creating it if needed. */
  public Path tokenFile(String workload) throws IOException {
    return tokens.tokenFile(workload);
  }

  public ControlPlaneOptions options() {
    return options;
  }

  /** Stops serving: the API first (no new changes), then xDS, then watching. */
  @Override
  public void close() {
    translateThread.shutdownNow();
    for (AutoCloseable c : closeables.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        log.warn("closing {}", c, e);
      }
    }
    try {
      translateThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    log.info("control plane stopped");
  }
}
