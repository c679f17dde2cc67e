package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;

/**
 * {@code Listener.access_log}: one line per connection when it closes, with what the connection's
 * stream info learnt (network RBAC's termination details; NR when no filter chain matched).
 */
@Timeout(30)
class ListenerAccessLogTest {
  /** A live upstream (the kernel completes connects from its backlog) so tcp_proxy keeps going. */
  private static String yaml(Path log, String chains, int upstream) {
    return """
        static_resources:
          listeners:
          - name: l4
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            access_log:
            - name: envoy.access_loggers.file
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog
                path: %s
                log_format: {text_format: "%%DOWNSTREAM_LOCAL_PORT%% %%RESPONSE_FLAGS%% %%CONNECTION_TERMINATION_DETAILS%%\\n"}
            filter_chains:
        %s
          clusters:
          - name: b
            load_assignment:
              cluster_name: b
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(log, chains, upstream);
  }

  private static void connectSendAndSeeItClosed(int port) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      s.getOutputStream().write("hi".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      assertThat(in.read()).isEqualTo(-1);
    } catch (java.net.SocketException e) {
      assertThat(e.getMessage()).contains("reset"); // closed with bytes unread: also a close
    }
  }

  private static String awaitLine(Path log) {
    await().atMost(Duration.ofSeconds(10)).until(
        () -> Files.exists(log) && Files.readString(log).endsWith("\n"));
    try {
      return Files.readString(log).strip();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void aConnectionNetworkRbacDeniedIsLoggedWithTheMatchedPolicy(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("l4.log");
    String chains = """
            - filters:
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: l4
                  rules: {action: DENY, policies: {no-entry: {permissions: [{any: true}], principals: [{any: true}]}}}
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: l4
                  cluster: b
        """;
    try (java.net.ServerSocket up = new java.net.ServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress());
        ProxyServer p = ProxyServer.start(
            BootstrapLoader.parse(yaml(log, chains, up.getLocalPort()), false, "l"), dir, 1,
            new StatsStore())) {
      int port = p.listenerAddresses().get(0).getPort();
      connectSendAndSeeItClosed(port);
      assertThat(awaitLine(log)).isEqualTo(port + " - rbac_access_denied_matched_policy[no-entry]");
    }
  }

  @Test
  void aConnectionNoFilterChainMatchedIsFlaggedNr(@TempDir Path dir) throws Exception {
    Path log = dir.resolve("nr.log");
    String chains = """
            - filter_chain_match: {destination_port: 1}
              filters:
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: l4
                  cluster: b
        """;
    try (java.net.ServerSocket up = new java.net.ServerSocket(0, 50,
            java.net.InetAddress.getLoopbackAddress());
        ProxyServer p = ProxyServer.start(
            BootstrapLoader.parse(yaml(log, chains, up.getLocalPort()), false, "l"), dir, 1,
            new StatsStore())) {
      int port = p.listenerAddresses().get(0).getPort();
      connectSendAndSeeItClosed(port);
      assertThat(awaitLine(log)).isEqualTo(port + " NR -");
    }
  }
}
