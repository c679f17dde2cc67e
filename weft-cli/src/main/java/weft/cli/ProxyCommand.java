package weft.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import weft.proxy.config.ConfigException;
import weft.proxy.server.ProxyServer;

/**
 * {@code weft proxy -c FILE}: runs the data plane from an Envoy v3 bootstrap. Startup problems are
 * printed (all of them) with exit status 1; SIGTERM or SIGINT drains connections for up to
 * {@code --drain-time-s} seconds and exits 0.
 */
@Command(
    name = "proxy",
    description = "Run the proxy from an Envoy v3 bootstrap (YAML or JSON).",
    footer = {"", "Example:", "  weft proxy -c envoy.yaml --concurrency 2"})
final class ProxyCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config-path"}, required = true, description = "bootstrap file")
  Path config;

  @Option(names = "--concurrency", description = "worker threads (default: available cores)")
  int concurrency = Runtime.getRuntime().availableProcessors();

  @Option(names = "--drain-time-s", description = "seconds to let connections finish on shutdown")
  int drainTimeSeconds = 5;

  @Override
  public Integer call() {
    if (!Files.isReadable(config)) {
      System.err.println("weft proxy: cannot read " + config);
      return 1;
    }
    ProxyServer server;
    try {
      server = ProxyServer.start(config, concurrency);
    } catch (ConfigException e) {
      System.err.println("weft proxy: " + config + ": " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } catch (RuntimeException e) {
      System.err.println("weft proxy: cannot start: " + e.getMessage());
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
}
