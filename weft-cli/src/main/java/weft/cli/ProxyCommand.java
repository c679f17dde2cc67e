package weft.cli;

import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.config.ConfigException;
import weft.proxy.server.ProxyServer;
import weft.proxy.xds.XdsProxy;

/**
 * {@code weft proxy -c FILE}: runs the data plane from an Envoy v3 bootstrap. Startup problems are
 * printed (all of them) with exit status 1; SIGTERM or SIGINT drains connections for up to
 * {@code --drain-time-s} seconds and exits 0. {@code weft proxy --xds HOST:PORT --node NS/NAME}
 * takes its config from a control plane over ADS instead (exclusive with {@code -c}).
 */
@Command(
    name = "proxy",
    description = "Run the proxy from an Envoy v3 bootstrap (YAML or JSON).",
    footer = {"", "Examples:", "  weft proxy -c envoy.yaml --concurrency 2",
        "  weft proxy --xds 127.0.0.1:15010 --node shop/web --token web.token"})
final class ProxyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-c", "--config-path"}, description = "bootstrap file (static_resources, or dynamic_resources.ads_config: config from an ADS server)")
  Path config;

  @Option(names = "--xds", paramLabel = "HOST:PORT",
      description = "control plane (ADS) address; mTLS with --token, plaintext without (a control plane's --insecure-xds-port)")
  String xds;

  @Option(names = "--node", paramLabel = "NS/WORKLOAD", description = "node id (with --xds)")
  String node;

  @Option(names = "--token", paramLabel = "FILE",
      description = "bootstrap token (with --xds): buys the workload certificate first, then ADS connects over mTLS "
          + "presenting it and verifying the control plane's SPIFFE ID")
  Path token;

  @Option(names = "--ca-address", paramLabel = "HOST:PORT",
      description = "control plane API for certificates (default: the xDS host, port 15000)")
  String caAddress;

  @Option(names = "--admin-port", description = "admin port on 127.0.0.1 with --xds (default: ephemeral)")
  int adminPort;

  @Option(names = "--concurrency", description = "worker threads (default: available cores)")
  int concurrency = Runtime.getRuntime().availableProcessors();

  @Option(names = "--drain-time-s", description = "seconds to let connections finish on shutdown")
  int drainTimeSeconds = 5;

  @Override
  public Integer call() {
    if ((config == null) == (xds == null)) {
      spec.commandLine().getErr().println("weft proxy: give exactly one of -c FILE and --xds HOST:PORT");
      return 1;
    }
    if (xds != null) {
      return runXds();
    }
    if (!Files.isReadable(config)) {
      spec.commandLine().getErr().println("weft proxy: cannot read " + config);
      return 1;
    }
    try {
      // Envoy's way to name a management server: dynamic_resources.ads_config in the bootstrap
      Bootstrap bootstrap = BootstrapLoader.load(config);
      if (bootstrap.hasDynamicResources() && bootstrap.getDynamicResources().hasAdsConfig()) {
        XdsProxy proxy = XdsProxy.start(config, adminPort, concurrency, Duration.ofSeconds(Math.max(0, drainTimeSeconds)));
        return serve(proxy, config + " (ADS)");
      }
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("weft proxy: " + config + ": " + e.getMessage());
      return 1;
    } catch (Exception e) {
      spec.commandLine().getErr().println("weft proxy: cannot start: " + e.getMessage());
      return 1;
    }
    ProxyServer server;
    try {
      server = ProxyServer.start(config, concurrency);
    } catch (ConfigException e) {
      spec.commandLine().getErr().println("weft proxy: " + config + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("weft proxy: cannot start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.drainAndClose(Duration.ofSeconds(Math.max(0, drainTimeSeconds)));
    return 0;
  }

  private Integer runXds() {
    if (node == null) {
      spec.commandLine().getErr().println("weft proxy: --xds needs --node NS/WORKLOAD");
      return 1;
    }
    int colon = xds.lastIndexOf(':');
    int port;
    try {
      port = Integer.parseInt(xds.substring(colon + 1));
    } catch (NumberFormatException | IndexOutOfBoundsException e) {
      port = -1;
    }
    if (colon <= 0 || port < 1 || port > 65535) {
      spec.commandLine().getErr().println("weft proxy: --xds '" + xds + "' must be HOST:PORT");
      return 1;
    }
    XdsProxy proxy;
    try {
      proxy = XdsProxy.start(new XdsProxy.Options(
          InetSocketAddress.createUnresolved(xds.substring(0, colon), port), node, token, caAddress,
          adminPort, concurrency, Duration.ofSeconds(Math.max(0, drainTimeSeconds))));
    } catch (Exception e) {
      spec.commandLine().getErr().println("weft proxy: cannot start: " + e.getMessage());
      return 1;
    }
    return serve(proxy, "node " + node + ", xDS " + xds);
  }

  /** Runs an xDS-configured proxy until SIGTERM/SIGINT. */
  private int serve(XdsProxy proxy, String what) {
    spec.commandLine().getErr().println("weft proxy: " + what + ", admin on " + proxy.adminAddress());
    CountDownLatch stop = new CountDownLatch(1);
    Signals.onTermination(stop::countDown);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    proxy.close();
    return 0;
  }
}
