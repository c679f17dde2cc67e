package weft.bench.proxy;

import java.nio.file.Path;
import java.util.List;

/**
 * HAProxy (2.6, Debian) as a one-hop peer: one thread ({@code nbthread 1}, like weft at concurrency
 * 1 and nginx with one worker), HTTP mode, idle upstream connections shared between requests
 * ({@code http-reuse always}), h2c on a second frontend ({@code proto h2}), no logging.
 */
final class Haproxy {
  private Haproxy() {}

  static String config(Ports listen, int upstreamPort, int maxConnections) {
    if (listen.h1() == listen.h2c()) {
      throw new IllegalArgumentException("haproxy needs separate HTTP/1.1 and h2c ports, got " + listen);
    }
    return "global\n"
        + "    nbthread 1\n"
        + "    maxconn " + maxConnections + "\n"
        + "defaults\n"
        + "    mode http\n"
        + "    timeout connect 5s\n"
        + "    timeout client 300s\n"
        + "    timeout server 300s\n"
        + "    timeout http-keep-alive 300s\n"
        + "    http-reuse always\n"
        + "frontend h1\n"
        + "    bind 127.0.0.1:" + listen.h1() + "\n"
        + "    default_backend upstream\n"
        + "frontend h2c\n"
        + "    bind 127.0.0.1:" + listen.h2c() + " proto h2\n"
        + "    default_backend upstream\n"
        + "backend upstream\n"
        + "    server backend 127.0.0.1:" + upstreamPort + "\n";
  }

  /** In the foreground ({@code -db}): one process the harness owns. */
  static List<String> command(Path config) {
    return List.of(Peers.executable("haproxy"), "-db", "-f", config.toAbsolutePath().toString());
  }

  static List<String> checkCommand(Path config) {
    return List.of(Peers.executable("haproxy"), "-c", "-f", config.toAbsolutePath().toString());
  }
}
