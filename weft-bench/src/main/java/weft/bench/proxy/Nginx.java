package weft.bench.proxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx (1.22, Debian) as the backend and as a one-hop reverse-proxy peer: one worker process,
 * everything it writes (pid, error log, temp files) inside its own directory, access log off,
 * keep-alive effectively unlimited so a run never measures reconnects. h2c is a second
 * {@code listen ... http2} port without TLS, which nginx serves with prior knowledge only.
 */
final class Nginx {
  /** The small body, {@link Backend#SMALL_BYTES} long like the built-in backend's. */
  static final String SMALL_BODY = "w".repeat(Backend.SMALL_BYTES - 1) + "\n";

  private Nginx() {}

  /** Serves {@code /large} (16 KiB file) and ~100 B for anything else. */
  static String backendConfig(Ports listen, int maxConnections, boolean asRoot) {
    return common(maxConnections, asRoot)
        + "  open_file_cache max=16 inactive=1h;\n"
        + "  server {\n"
        + listen(listen)
        + "    root www;\n"
        + "    location = /large { }\n"
        + "    location / { return 200 \"" + SMALL_BODY.replace("\n", "\\n") + "\"; }\n"
        + "  }\n"
        + "}\n";
  }

  /**
   * Proxies everything to {@code upstreamPort} over HTTP/1.1 with pooled keep-alive upstream
   * connections (without {@code keepalive} nginx opens one upstream connection per request).
   */
  static String reverseProxyConfig(Ports listen, int upstreamPort, int maxConnections, boolean asRoot) {
    return common(maxConnections, asRoot)
        + "  upstream backend {\n"
        + "    server 127.0.0.1:" + upstreamPort + ";\n"
        + "    keepalive 64;\n"
        + "    keepalive_requests 1000000000;\n"
        + "    keepalive_timeout 300s;\n"
        + "  }\n"
        + "  server {\n"
        + listen(listen)
        + "    location / {\n"
        + "      proxy_pass http://backend;\n"
        + "      proxy_http_version 1.1;\n"
        + "      proxy_set_header Connection \"\";\n"
        + "    }\n"
        + "  }\n"
        + "}\n";
  }

  private static String common(int maxConnections, boolean asRoot) {
    // as root the worker would switch to 'nobody', who cannot read the harness's private temp dir
    return (asRoot ? "user root;\n" : "")
        + "worker_processes 1;\n"
        + "pid nginx.pid;\n"
        + "error_log error.log warn;\n"
        + "events { worker_connections " + maxConnections + "; }\n"
        + "http {\n"
        + "  access_log off;\n"
        + "  client_body_temp_path tmp/body;\n"
        + "  proxy_temp_path tmp/proxy;\n"
        + "  fastcgi_temp_path tmp/fastcgi;\n"
        + "  uwsgi_temp_path tmp/uwsgi;\n"
        + "  scgi_temp_path tmp/scgi;\n"
        + "  keepalive_requests 1000000000;\n"
        + "  keepalive_timeout 300s;\n"
        + "  sendfile on;\n"
        + "  tcp_nodelay on;\n"
        + "  default_type text/plain;\n";
  }

  private static String listen(Ports p) {
    if (p.h1() == p.h2c()) {
      throw new IllegalArgumentException("nginx needs separate HTTP/1.1 and h2c ports, got " + p);
    }
    return "    listen 127.0.0.1:" + p.h1() + ";\n"
        + "    listen 127.0.0.1:" + p.h2c() + " http2;\n";
  }

  /** Writes {@code conf} as {@code dir/nginx.conf} beside the files it refers to. */
  static void prepare(Path dir, String conf) throws IOException {
    Files.createDirectories(dir.resolve("tmp"));
    Files.createDirectories(dir.resolve("www"));
    byte[] large = new byte[Backend.LARGE_BYTES];
    java.util.Arrays.fill(large, (byte) 'w');
    large[large.length - 1] = '\n';
    Files.write(dir.resolve("www/large"), large);
    Files.writeString(dir.resolve("nginx.conf"), conf);
  }

  /**
   * In the foreground (the harness owns the process), with {@code dir} as nginx's prefix; {@code -e}
   * so that not even start-up tries the error log path compiled in (e.g. /var/log/nginx, not
   * writable without root).
   */
  static List<String> command(Path dir) {
    return List.of(Peers.executable("nginx"), "-p", dir.toAbsolutePath() + "/", "-e", "error.log", "-c", "nginx.conf", "-g", "daemon off;");
  }

  static List<String> testCommand(Path dir) {
    return List.of(Peers.executable("nginx"), "-t", "-p", dir.toAbsolutePath() + "/", "-e", "error.log", "-c", "nginx.conf");
  }

  static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }
}
