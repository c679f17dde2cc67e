package weft.proxy.xds;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import weft.proxy.observe.StatsStore;

/**
 * {@code weft proxy --xds}: the dynamic runtime, its ADS client, the workload identity (when a
 * bootstrap token is given) and the admin server on 127.0.0.1, wired together.
 */
public final class XdsProxy implements AutoCloseable {
  /**
   * @param xds the control plane's xDS address
   * @param nodeId {@code ns/workload}
   * @param tokenFile the bootstrap token; null: no workload certificate (TLS contexts that use
   *     the {@code default} secret stay warming)
   * @param caAddress the control plane's API ({@code host:port}); null: the xDS host, port 15000
   * @param adminPort 0 for an ephemeral port
   */
  public record Options(InetSocketAddress xds, String nodeId, Path tokenFile, String caAddress,
      int adminPort, int concurrency, Duration drainTime) {}

  private final XdsRuntime runtime;
  private final AdsClient ads;
  private final WorkloadIdentity identity;
  private final InetSocketAddress admin;

  private XdsProxy(XdsRuntime runtime, AdsClient ads, WorkloadIdentity identity,
      InetSocketAddress admin) {
    this.runtime = runtime;
    this.ads = ads;
    this.identity = identity;
    this.admin = admin;
  }

  /**
   * Starts everything; returns at once (the listeners open when the first complete config
   * arrives, {@code /ready} says so).
   *
   * @throws IOException if the token file cannot be read
   * @throws IllegalArgumentException for a malformed node id
   */
  public static XdsProxy start(Options o) throws Exception {
    String token = o.tokenFile() == null ? null : Files.readString(o.tokenFile()).strip();
    if (token != null && token.isEmpty()) {
      throw new IOException(o.tokenFile() + ": the bootstrap token is empty");
    }
    XdsRuntime runtime = new XdsRuntime(AdsClient.node(o.nodeId()), o.concurrency(),
        new StatsStore(), o.drainTime());
    try {
      InetSocketAddress admin = runtime.startAdmin(new InetSocketAddress("127.0.0.1", o.adminPort()));
      AdsClient ads = new AdsClient(o.xds().getHostString(), o.xds().getPort(), runtime,
          Backoff.envoyDefault());
      WorkloadIdentity identity = null;
      if (token != null) {
        String ca = o.caAddress() != null ? o.caAddress() : o.xds().getHostString() + ":15000";
        identity = new WorkloadIdentity(ca, token, ads::putLocalSecret, Backoff.envoyDefault());
      }
      ads.start();
      if (identity != null) {
        identity.start();
      }
      return new XdsProxy(runtime, ads, identity, admin);
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  public InetSocketAddress adminAddress() {
    return admin;
  }

  public XdsRuntime runtime() {
    return runtime;
  }

  public AdsClient ads() {
    return ads;
  }

  @Override
  public void close() {
    if (identity != null) {
      identity.close();
    }
    ads.close();
    runtime.close();
  }
}
