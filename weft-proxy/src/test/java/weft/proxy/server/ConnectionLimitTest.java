package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;

/** Runtime envoy.resource_limits.listener.<name>.connection_limit (Envoy listener docs). */
@Timeout(30)
class ConnectionLimitTest {
  @Test
  void closesConnectionsBeyondTheListenerLimit() throws Exception {
    try (TestBackend b = new TestBackend("b")) {
      String yaml = """
          layered_runtime:
            layers:
            - name: static
              static_layer:
                envoy.resource_limits.listener.limited.connection_limit: 1
          static_resources:
            listeners:
            - name: limited
              address: {socket_address: {address: 127.0.0.1, port_value: 0}}
              filter_chains:
              - filters:
                - name: envoy.filters.network.http_connection_manager
                  typed_config:
                    "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                    stat_prefix: limited
                    route_config:
                      virtual_hosts: [{name: all, domains: ["*"], routes: [{match: {prefix: "/"}, route: {cluster: b}}]}]
                    http_filters:
                    - name: envoy.filters.http.router
                      typed_config: {"@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router}
            clusters:
            - name: b
              load_assignment:
                cluster_name: b
                endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
          """.formatted(b.port());
      try (ProxyServer p = ProxyServer.start(BootstrapLoader.parse(yaml, false, "limit.yaml"),
          Path.of("."), 1, new StatsStore());
          Socket first = new Socket(InetAddress.getLoopbackAddress(), p.listenerAddresses().get(0).getPort());
          Socket second = new Socket(InetAddress.getLoopbackAddress(), p.listenerAddresses().get(0).getPort())) {
        second.setSoTimeout(10_000);
        assertThat(second.getInputStream().read()).isEqualTo(-1);
        first.setSoTimeout(10_000);
        first.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(first.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
            .startsWith("HTTP/1.1 200");
        String stat = "listener." + p.config().listeners().get(0).statName() + ".downstream_cx_overflow";
        assertThat(p.stats().counter(stat).value()).isEqualTo(1);
      }
    }
  }
}
