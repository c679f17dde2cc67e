package weft.cli.controlplane;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.controlplane.ControlPlane;
import weft.controlplane.ControlPlaneOptions;
import weft.controlplane.PortInUseException;

/** {@code weft controlplane}: runs the control plane until SIGTERM/Ctrl-C. */
@Command(
    mixinStandardHelpOptions = true,
    name = "controlplane",
    description = "Run the control plane: watch a config dir, serve xDS to proxies, issue SPIFFE certificates, serve the HTTP API.",
    footer = {"", "Examples:", "  weft controlplane --config-dir mesh/",
      "  weft controlplane --config-dir mesh/ --data-dir /var/lib/weft --xds-port 16010 --api-port 16000",
      "  weft controlplane --config-dir mesh/ --ca-cert corp-ca.pem --ca-key corp-ca-key.pem"})
public final class ControlPlaneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--config-dir", required = true, paramLabel = "DIR",
      description = "Directory of YAML/JSON resources, watched recursively.")
  Path configDir;

  @Option(names = "--data-dir", paramLabel = "DIR",
      description = "Where the CA, tokens and applied resources live (default: DIR/../.weft, or ~/.weft).")
  Optional<Path> dataDir;

  @Option(names = "--xds-port", defaultValue = "15010",
      description = "xDS (gRPC) port, mutual TLS: proxies present their workload certificate and may ask only for "
          + "their own node (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Option(names = "--insecure-xds-port", paramLabel = "PORT",
      description = "Also serve xDS in plaintext, unauthenticated, on this port (like istiod's 15010): for Envoy "
          + "sidecars without certificates, proxyless gRPC clients and debugging. Default: off.")
  Optional<Integer> insecureXdsPort;

  @Option(names = "--api-port", defaultValue = "15000", description = "HTTP API port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1", paramLabel = "ADDRESS",
      description = "Address both servers listen on (default: ${DEFAULT-VALUE}; the API has no authentication).")
  String bind;

  @Option(names = "--advertise-address", paramLabel = "ADDRESS",
      description = "Address proxies reach the xDS port at, for the flows they send back (default: --bind, or 127.0.0.1 when it is 0.0.0.0).")
  Optional<String> advertise;

  @Option(names = "--flow-buffer", defaultValue = "10000", paramLabel = "N",
      description = "How many flow records to keep for `weft flows` (default: ${DEFAULT-VALUE}; the oldest go first).")
  int flowBuffer;

  @Option(names = "--trust-domain", defaultValue = "cluster.local", description = "SPIFFE trust domain (default: ${DEFAULT-VALUE}).")
  String trustDomain;

  @Option(names = "--root-namespace", defaultValue = "istio-system",
      description = "Istio root namespace for mesh-wide policy (default: ${DEFAULT-VALUE}).")
  String rootNamespace;

  @Option(names = "--ca-cert", paramLabel = "PEM", description = "Use this CA certificate (with --ca-key) instead of a generated root.")
  Optional<Path> caCert;

  @Option(names = "--ca-key", paramLabel = "PEM", description = "The CA's private key (PEM, unencrypted).")
  Optional<Path> caKey;

  @Option(names = "--ca-chain", paramLabel = "PEM", description = "Certificates above --ca-cert (intermediates, root).")
  Optional<Path> caChain;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(configDir)) {
      err.println("error: --config-dir " + configDir + ": not a directory");
      return 2;
    }
    if (caCert.isPresent() != caKey.isPresent()) {
      err.println("error: --ca-cert and --ca-key go together");
      return 2;
    }
    if (flowBuffer < 1) {
      err.println("error: --flow-buffer " + flowBuffer + " (expected: at least 1)");
      return 2;
    }
    ControlPlaneOptions options;
    try {
      options = new ControlPlaneOptions(Optional.of(configDir), dataDir.orElseGet(this::defaultDataDir),
          InetAddress.getByName(bind), xdsPort, apiPort, trustDomain, rootNamespace, caCert, caKey, caChain,
          advertise.isPresent() ? Optional.of(InetAddress.getByName(advertise.get())) : Optional.empty(), flowBuffer,
          insecureXdsPort.orElse(ControlPlaneOptions.NO_INSECURE_XDS));
    } catch (UnknownHostException | IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    ControlPlane cp;
    try {
      cp = ControlPlane.start(options);
    } catch (PortInUseException e) {
      err.println("error: " + e.getMessage() + "; stop what holds it or choose another with --" + e.server() + "-port");
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot start the control plane: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook = new Thread(() -> {
      cp.close();
      stopped.countDown();
    }, "weft-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    String host = options.bind().getHostAddress();
    out.println("weft control plane");
    out.println("  config dir:  " + configDir.toAbsolutePath());
    out.println("  data dir:    " + options.dataDir().toAbsolutePath());
    out.println("  xds:         " + host + ":" + cp.xdsPort() + " (mTLS, " + cp.servingCertificate().spiffeId() + ")");
    if (cp.insecureXdsPort().isPresent()) {
      out.println("  xds (plaintext, unauthenticated): " + host + ":" + cp.insecureXdsPort().getAsInt());
    }
    out.println("  http api:    http://" + host + ":" + cp.apiPort() + "/api/v1/status");
    out.println("  trust domain: " + trustDomain);
    out.println("Ctrl-C or SIGTERM stops it.");
    out.flush();
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cp.close();
    }
    return 0;
  }

  private Path defaultDataDir() {
    Path parent = configDir.toAbsolutePath().normalize().getParent();
    return parent != null ? parent.resolve(".weft") : Path.of(System.getProperty("user.home"), ".weft");
  }
}
