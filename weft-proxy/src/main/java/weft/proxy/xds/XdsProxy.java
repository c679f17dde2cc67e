package weft.proxy.xds;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import weft.proxy.observe.StatsStore;

/**
 * {@code weft proxy --xds}: the dynamic runtime, its ADS client, the workload identity (when a
 * bootstrap token is given) and the admin server on 127.0.0.1, wired together. With a token the
 * ADS channel is mTLS and opens once the certificate is issued ({@link #secured}); without one it
 * is plaintext (a control plane's {@code --insecure-xds-port}).
 */
public final class XdsProxy implements AutoCloseable {
  /**
   * @param xds the control plane's xDS address
   * @param nodeId {@code ns/workload}
   * @param tokenFile the bootstrap token; null: no workload certificate, a plaintext ADS channel
   *     (TLS contexts that use the {@code default} secret stay warming)
   * @param caAddress the control plane's API ({@code host:port}); null: the xDS host, port 15000
   * @param adminPort 0 for an ephemeral port
   * @param protocol SotW or incremental ADS
   */
  public record Options(InetSocketAddress xds, String nodeId, Path tokenFile, String caAddress,
      int adminPort, int concurrency, Duration drainTime, AdsClient.Protocol protocol) {
    /**
     * Incremental ADS: weft's control plane serves it (java-control-plane's ADS service answers
     * both RPCs), and an endpoint change then costs one assignment, not all of them.
     */
    public Options(InetSocketAddress xds, String nodeId, Path tokenFile, String caAddress,
        int adminPort, int concurrency, Duration drainTime) {
      this(xds, nodeId, tokenFile, caAddress, adminPort, concurrency, drainTime,
          AdsClient.Protocol.DELTA);
    }
  }

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
      if (token == null) {
        // no certificate to present: only a control plane's plaintext xDS port will talk to us
        AdsClient ads = new AdsClient(o.xds().getHostString(), o.xds().getPort(), runtime,
            Backoff.envoyDefault(), o.protocol());
        ads.start();
        return new XdsProxy(runtime, ads, null, admin);
      }
      String ca = o.caAddress() != null ? o.caAddress() : o.xds().getHostString() + ":15000";
      Secured s = secured(o.xds().getHostString(), o.xds().getPort(), runtime, ca, token,
          o.protocol(), Backoff.envoyDefault(), Backoff.envoyDefault());
      s.identity().start();
      return new XdsProxy(runtime, s.ads(), s.identity(), admin);
    } catch (Exception | Error e) {
      runtime.close();
      throw e;
    }
  }

  /**
   * Envoy's bootstrap route: a bootstrap file whose {@code dynamic_resources.ads_config} names the
   * ADS server and the protocol ({@code api_type: GRPC | DELTA_GRPC}); see {@link XdsBootstrap}.
   *
   * @throws weft.proxy.config.ConfigException naming every problem of the file
   */
  public static XdsProxy start(Path bootstrap, int adminPort, int concurrency, Duration drainTime)
      throws Exception {
    weft.proxy.config.ConfigProblems problems = new weft.proxy.config.ConfigProblems();
    XdsBootstrap x = XdsBootstrap.compile(weft.proxy.config.BootstrapLoader.load(bootstrap),
        weft.proxy.config.ConfigPath.root(), problems);
    problems.throwIfAny("invalid bootstrap " + bootstrap);
    return start(new Options(x.xds(), x.nodeId(), null, null, adminPort, concurrency, drainTime,
        x.protocol()));
  }

  /** An ADS client over mTLS and the workload identity that feeds it; start the identity. */
  public record Secured(AdsClient ads, WorkloadIdentity identity, XdsTls tls) {}

  /**
   * Wires the workload identity to an mTLS ADS client: the bootstrap token buys the workload
   * certificate over the API ({@code caAddress}); only then does the ADS channel connect,
   * presenting it and trusting the mesh root that came with it. Each renewal replaces the
   * channel's key material for the next handshake and the {@code default} SDS secret. Call {@code
   * identity().start()} to begin.
   */
  public static Secured secured(String xdsHost, int xdsPort, XdsRuntime runtime, String caAddress,
      String token, AdsClient.Protocol protocol, Backoff adsBackoff, Backoff identityBackoff) {
    XdsTls tls = new XdsTls();
    AdsClient ads = new AdsClient(xdsHost, xdsPort, tls, runtime, adsBackoff, protocol);
    WorkloadIdentity identity = new WorkloadIdentity(caAddress, token, ads::putLocalSecret,
        identityBackoff);
    identity.onIssued(issued -> {
      if (tls.update(issued)) {
        ads.start();
      }
    });
    return new Secured(ads, identity, tls);
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
