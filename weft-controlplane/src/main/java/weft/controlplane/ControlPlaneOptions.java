package weft.controlplane;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run a control plane.
 *
 * @param configDir the directory of resource files to watch, if any
 * @param dataDir where the CA, bootstrap tokens and applied resources are kept
 * @param bind the address the xDS and HTTP servers listen on
 * @param xdsPort 0 picks a free port
 * @param apiPort 0 picks a free port
 * @param trustDomain of SPIFFE IDs, e.g. {@code cluster.local}
 * @param rootNamespace Istio's root namespace (mesh-wide PeerAuthentication and policies)
 * @param caCert a corporate CA's certificate (PEM), with {@code caKey}; else a root CA is generated
 *     under {@code dataDir}
 * @param caChain the certificates above {@code caCert}, if any
 * @param advertise the address proxies reach the xDS server at, for what the control plane tells
 *     them to call back (the flow collector); empty: {@code bind}, or loopback when bind is a
 *     wildcard
 * @param flowBuffer how many flow records the control plane keeps (a ring: the oldest go first)
 * @param insecureXdsPort a plaintext, unauthenticated xDS port next to the mTLS one (istiod's
 *     15010), for Envoy sidecars without certificates, proxyless gRPC clients and debugging; {@link
 *     #NO_INSECURE_XDS} (the default): none; 0 picks a free port
 */
public record ControlPlaneOptions(
    Optional<Path> configDir,
    Path dataDir,
    InetAddress bind,
    int xdsPort,
    int apiPort,
    String trustDomain,
    String rootNamespace,
    Optional<Path> caCert,
    Optional<Path> caKey,
    Optional<Path> caChain,
    Optional<InetAddress> advertise,
    int flowBuffer,
    int insecureXdsPort) {
  public static final int DEFAULT_XDS_PORT = 15010;
  public static final int NO_INSECURE_XDS = -1;
  public static final int DEFAULT_FLOW_BUFFER = 10_000;
  public static final int DEFAULT_API_PORT = 15000;

  public ControlPlaneOptions {
    Objects.requireNonNull(configDir, "configDir");
    Objects.requireNonNull(dataDir, "dataDir");
    Objects.requireNonNull(bind, "bind");
    requirePort("xdsPort", xdsPort);
    requirePort("apiPort", apiPort);
    Objects.requireNonNull(trustDomain, "trustDomain");
    Objects.requireNonNull(rootNamespace, "rootNamespace");
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(caKey, "caKey");
    Objects.requireNonNull(caChain, "caChain");
    Objects.requireNonNull(advertise, "advertise");
    if (flowBuffer < 1) {
      throw new IllegalArgumentException("flowBuffer: " + flowBuffer + " (expected: >= 1)");
    }
    if (insecureXdsPort != NO_INSECURE_XDS) {
      requirePort("insecureXdsPort", insecureXdsPort);
    }
    if (caCert.isPresent() != caKey.isPresent()) {
      throw new IllegalArgumentException("caCert and caKey go together (expected: both or neither)");
    }
  }

  /** Without a plaintext xDS port. */
  public ControlPlaneOptions(Optional<Path> configDir, Path dataDir, InetAddress bind, int xdsPort, int apiPort,
      String trustDomain, String rootNamespace, Optional<Path> caCert, Optional<Path> caKey, Optional<Path> caChain,
      Optional<InetAddress> advertise, int flowBuffer) {
    this(configDir, dataDir, bind, xdsPort, apiPort, trustDomain, rootNamespace, caCert, caKey, caChain, advertise,
        flowBuffer, NO_INSECURE_XDS);
  }

  /** Without an advertised address, with the default flow buffer. */
  public ControlPlaneOptions(Optional<Path> configDir, Path dataDir, InetAddress bind, int xdsPort, int apiPort,
      String trustDomain, String rootNamespace, Optional<Path> caCert, Optional<Path> caKey, Optional<Path> caChain) {
    this(configDir, dataDir, bind, xdsPort, apiPort, trustDomain, rootNamespace, caCert, caKey, caChain,
        Optional.empty(), DEFAULT_FLOW_BUFFER, NO_INSECURE_XDS);
  }

  /** Loopback, default ports, {@code cluster.local}, {@code istio-system}, a generated CA. */
  public static ControlPlaneOptions defaults(Optional<Path> configDir, Path dataDir) {
    return new ControlPlaneOptions(configDir, dataDir, InetAddress.getLoopbackAddress(), DEFAULT_XDS_PORT,
        DEFAULT_API_PORT, "cluster.local", "istio-system", Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** The same options on other ports (0: any free port, as tests use). */
  public ControlPlaneOptions withPorts(int xds, int api) {
    return new ControlPlaneOptions(configDir, dataDir, bind, xds, api, trustDomain, rootNamespace, caCert, caKey, caChain,
        advertise, flowBuffer, insecureXdsPort);
  }

  /** The same options keeping {@code n} flow records. */
  public ControlPlaneOptions withFlowBuffer(int n) {
    return new ControlPlaneOptions(configDir, dataDir, bind, xdsPort, apiPort, trustDomain, rootNamespace, caCert, caKey,
        caChain, advertise, n, insecureXdsPort);
  }

  /** The same options also serving xDS in plaintext on {@code port} (0: any free port). */
  public ControlPlaneOptions withInsecureXdsPort(int port) {
    return new ControlPlaneOptions(configDir, dataDir, bind, xdsPort, apiPort, trustDomain, rootNamespace, caCert, caKey,
        caChain, advertise, flowBuffer, port);
  }

  /** The address proxies are told to reach the control plane at. */
  public InetAddress advertisedAddress() {
    return advertise.orElse(bind.isAnyLocalAddress() ? InetAddress.getLoopbackAddress() : bind);
  }

  private static void requirePort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + ": " + port + " (expected: 0..65535)");
    }
  }
}
