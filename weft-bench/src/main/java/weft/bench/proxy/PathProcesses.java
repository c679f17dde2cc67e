package weft.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the processes a path needs, each with its configuration and log in the run's directory:
 * weft (from {@link ProxyBenchSettings#weftCommand()}), HAProxy and nginx (as peer or backend).
 * Every process is returned already listening on all its ports.
 */
final class PathProcesses {
  private static final Duration WEFT_START = Duration.ofSeconds(90);
  private static final Duration PEER_START = Duration.ofSeconds(30);

  private final ProxyBenchSettings settings;
  private final Path work;
  private final Consumer<String> say;

  PathProcesses(ProxyBenchSettings settings, Path work, Consumer<String> say) {
    this.settings = settings;
    this.work = work;
    this.say = say;
  }

  ProxyProcess weft(String name, String bootstrap, int concurrency, int port) throws IOException, InterruptedException {
    return spawnWeft(name, bootstrap, concurrency, port).awaitListening(List.of(port), WEFT_START);
  }

  /**
   * Both mesh sidecars (concurrency 1), started together because a JVM takes seconds to start:
   * the server sidecar first in the list, each already listening.
   */
  List<ProxyProcess> weftSidecars(String serverBootstrap, int serverPort, String clientBootstrap, int clientPort)
      throws IOException, InterruptedException {
    ProxyProcess server = spawnWeft("weft-server-sidecar", serverBootstrap, 1, serverPort);
    ProxyProcess client;
    try {
      client = spawnWeft("weft-client-sidecar", clientBootstrap, 1, clientPort);
    } catch (IOException e) {
      server.close();
      throw e;
    }
    try {
      server.awaitListening(List.of(serverPort), WEFT_START);
      client.awaitListening(List.of(clientPort), WEFT_START);
    } catch (IOException | InterruptedException e) {
      server.close();
      client.close();
      throw e;
    }
    return List.of(server, client);
  }

  private ProxyProcess spawnWeft(String name, String bootstrap, int concurrency, int port) throws IOException {
    Path cfg = Files.writeString(work.resolve(name + ".yaml"), bootstrap);
    List<String> cmd = new ArrayList<>(settings.weftCommand());
    cmd.addAll(List.of("proxy", "-c", cfg.toString(), "--concurrency", Integer.toString(concurrency)));
    say.accept("starting " + name + " on port " + port);
    return ProxyProcess.spawn(name, cmd, work.resolve(name + ".log"));
  }

  ProxyProcess haproxy(Ports listen, int upstreamPort) throws IOException, InterruptedException {
    Path cfg = Files.writeString(work.resolve("haproxy.cfg"), Haproxy.config(listen, upstreamPort, settings.maxConnections()));
    say.accept("starting haproxy on ports " + listen.h1() + " (HTTP/1.1) and " + listen.h2c() + " (h2c)");
    return ProxyProcess.start("haproxy", Haproxy.command(cfg), work.resolve("haproxy.log"), listen.distinct(), PEER_START);
  }

  ProxyProcess nginxProxy(Ports listen, int upstreamPort) throws IOException, InterruptedException {
    return nginx("nginx-proxy", Nginx.reverseProxyConfig(listen, upstreamPort, settings.maxConnections(),
        Nginx.runningAsRoot()), listen);
  }

  ProxyProcess nginxBackend(Ports listen) throws IOException, InterruptedException {
    return nginx("nginx-backend", Nginx.backendConfig(listen, settings.maxConnections(), Nginx.runningAsRoot()), listen);
  }

  private ProxyProcess nginx(String name, String conf, Ports listen) throws IOException, InterruptedException {
    Path dir = work.resolve(name);
    Nginx.prepare(dir, conf);
    say.accept("starting " + name + " on ports " + listen.h1() + " (HTTP/1.1) and " + listen.h2c()
        + " (h2c)");
    return ProxyProcess.start(name, Nginx.command(dir), dir.resolve("nginx.out"), listen.distinct(), PEER_START);
  }
}
