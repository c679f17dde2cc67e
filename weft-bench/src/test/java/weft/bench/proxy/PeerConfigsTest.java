package weft.bench.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated nginx and HAProxy configurations: their shape always (CI has neither installed),
 * and accepted by {@code nginx -t} / {@code haproxy -c} when installed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PeerConfigsTest {
  private static final Ports PORTS = new Ports(18080, 18081);

  @Test
  void nginxBackendIsOneWorkerWithEverythingInsideItsDirectoryAndNoAccessLog() {
    String conf = Nginx.backendConfig(PORTS, 1024, false);
    assertThat(conf).contains("worker_processes 1;", "pid nginx.pid;", "error_log error.log warn;",
        "access_log off;", "client_body_temp_path tmp/body;", "proxy_temp_path tmp/proxy;",
        "keepalive_requests 1000000000;", "events { worker_connections 1024; }",
        "listen 127.0.0.1:18080;", "listen 127.0.0.1:18081 http2;", "root www;", "location = /large { }");
    assertThat(conf).doesNotContain("user ").doesNotContain("/var/").doesNotContain("/etc/");
    // the small body is returned inline: exactly as long as the built-in backend's
    assertThat(Nginx.SMALL_BODY).hasSize(Backend.SMALL_BYTES);
    assertThat(conf).contains("return 200 \"" + "w".repeat(Backend.SMALL_BYTES - 1) + "\\n\";");
  }

  @Test
  void nginxRunAsRootKeepsItsWorkerAsRootToReadThePrivateTempDirectory() {
    assertThat(Nginx.backendConfig(PORTS, 1024, true)).startsWith("user root;\n");
    assertThat(Nginx.reverseProxyConfig(PORTS, 9000, 1024, true)).startsWith("user root;\n");
  }

  @Test
  void nginxReverseProxyPoolsUpstreamKeepAliveConnections() {
    String conf = Nginx.reverseProxyConfig(PORTS, 9000, 2048, false);
    assertThat(conf).contains("worker_processes 1;", "server 127.0.0.1:9000;", "keepalive 64;",
        "proxy_pass http://backend;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
        "listen 127.0.0.1:18081 http2;", "worker_connections 2048;");
  }

  @Test
  void nginxAndHaproxyRefuseOnePortForBothProtocols() {
    assertThatThrownBy(() -> Nginx.backendConfig(Ports.shared(8080), 1024, false))
        .hasMessage("nginx needs separate HTTP/1.1 and h2c ports, got Ports[h1=8080, h2c=8080]");
    assertThatThrownBy(() -> Haproxy.config(Ports.shared(8080), 9000, 1024))
        .hasMessage("haproxy needs separate HTTP/1.1 and h2c ports, got Ports[h1=8080, h2c=8080]");
  }

  @Test
  void nginxRunsInTheForegroundWithItsDirectoryAsPrefix(@TempDir Path dir) {
    List<String> cmd = Nginx.command(dir);
    assertThat(cmd.get(0)).endsWith("nginx"); // absolute when found: /usr/sbin is off a regular user's PATH
    assertThat(cmd.subList(1, cmd.size())).containsExactly("-p", dir.toAbsolutePath() + "/", "-e", "error.log",
        "-c", "nginx.conf", "-g", "daemon off;");
  }

  @Test
  void nginxDirectoryHoldsTheConfigTheLargeBodyAndTheTempDirectory(@TempDir Path dir) throws IOException {
    Nginx.prepare(dir, "worker_processes 1;\n");
    assertThat(dir.resolve("nginx.conf")).hasContent("worker_processes 1;");
    assertThat(Files.size(dir.resolve("www/large"))).isEqualTo(Backend.LARGE_BYTES);
    assertThat(dir.resolve("tmp")).isDirectory();
  }

  @Test
  void haproxyIsOneThreadHttpModeWithReuseTimeoutsAndAnH2cFrontend() {
    String cfg = Haproxy.config(PORTS, 9000, 1024);
    assertThat(cfg).contains("    nbthread 1\n", "    maxconn 1024\n", "    mode http\n", "    http-reuse always\n",
        "    timeout connect 5s\n", "    timeout client 300s\n", "    timeout server 300s\n",
        "    bind 127.0.0.1:18080\n", "    bind 127.0.0.1:18081 proto h2\n", "    server backend 127.0.0.1:9000\n");
    assertThat(cfg).doesNotContain("log ");
  }

  @Test
  void nginxAcceptsBothGeneratedConfigurations(@TempDir Path dir) throws Exception {
    assumeTrue(Peers.installed("nginx"), "nginx not installed: only the configuration's shape is checked");
    boolean root = Nginx.runningAsRoot();
    for (String conf : List.of(Nginx.backendConfig(PORTS, 1024, root), Nginx.reverseProxyConfig(PORTS, 9000, 1024, root))) {
      Nginx.prepare(dir, conf);
      assertThat(run(Nginx.testCommand(dir))).contains("syntax is ok", "test is successful");
    }
  }

  @Test
  void haproxyAcceptsTheGeneratedConfiguration(@TempDir Path dir) throws Exception {
    assumeTrue(Peers.installed("haproxy"), "haproxy not installed: only the configuration's shape is checked");
    Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), Haproxy.config(PORTS, 9000, 1024));
    String out = run(Haproxy.checkCommand(cfg));
    assertThat(out).contains("Configuration file is valid").doesNotContain("WARNING").doesNotContain("ALERT");
  }

  /** Output of a command that must exit 0. */
  private static String run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + ":\n" + out).isZero();
    return out;
  }
}
