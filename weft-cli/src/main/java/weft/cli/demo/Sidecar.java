package weft.cli.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import weft.proxy.observe.StatsStore;
import weft.proxy.xds.AdsClient;
import weft.proxy.xds.Backoff;
import weft.proxy.xds.WorkloadIdentity;
import weft.proxy.xds.XdsProxy;
import weft.proxy.xds.XdsRuntime;

/**
 * One workload's weft proxy, in this process: the same parts {@code weft proxy --xds} runs (xDS
 * runtime, ADS client, workload identity from a CSR and the bootstrap token).
 */
final class Sidecar implements AutoCloseable {
  private final String nodeId;
  private final XdsRuntime runtime;
  private final AdsClient ads;
  private final WorkloadIdentity identity;

  private Sidecar(String nodeId, XdsRuntime runtime, AdsClient ads, WorkloadIdentity identity) {
    this.nodeId = nodeId;
    this.runtime = runtime;
    this.ads = ads;
    this.identity = identity;
  }

  /**
   * Connects to the control plane at {@code host} ({@code xdsPort} for ADS, {@code apiPort} for the
   * certificate); serving starts asynchronously once the first complete config applies.
   */
  static Sidecar start(String nodeId, java.net.InetAddress workloadAddress, String host, int xdsPort, int apiPort,
      Path tokenFile) throws IOException {
    String token = Files.readString(tokenFile);
    // A short drain: the demo swaps listener configs between stages and on Ctrl-C. Upstream
    // connections leave from the workload's address: without traffic interception that is what
    // makes peers' address-based (Cilium/Kubernetes) policy see this workload, not the host.
    XdsRuntime runtime = new XdsRuntime(AdsClient.node(nodeId), 1, new StatsStore(), Duration.ofSeconds(1),
        workloadAddress);
    Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
    // mTLS to the xDS port: the ADS stream opens once the bootstrap token bought the certificate
    XdsProxy.Secured secured = XdsProxy.secured(host, xdsPort, runtime, host + ":" + apiPort, token.strip(), AdsClient.Protocol.DELTA,
        backoff, new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5)));
    Sidecar s = new Sidecar(nodeId, runtime, secured.ads(), secured.identity());
    secured.identity().start();
    return s;
  }

  String nodeId() {
    return nodeId;
  }

  /** Whether a complete config (listeners with their certificate) is in force. */
  boolean ready() {
    return runtime.ready() && identity.current() != null;
  }

  /** Connections still open on a listener config that has since changed (closed after 1 s). */
  int drainingConnections() {
    return runtime.drainingConnections();
  }

  /** Whether each of these listeners is bound and accepting. */
  boolean serving(java.util.Collection<String> listenerNames) {
    return listenerNames.stream().allMatch(n -> runtime.listenerAddress(n) != null);
  }

  /** The version this proxy last ACKed for {@code typeUrl}, "" if none. */
  String ackedVersion(String typeUrl) {
    return ads.ackedVersion(typeUrl);
  }

  String lastNack() {
    return ads.lastNack();
  }

  /** When the workload's certificate expires, or null before it has one. */
  java.time.Instant certificateExpiry() {
    WorkloadIdentity.Issued i = identity.current();
    return i == null ? null : i.notAfter();
  }

  @Override
  public void close() {
    identity.close();
    ads.close();
    runtime.close();
  }
}
