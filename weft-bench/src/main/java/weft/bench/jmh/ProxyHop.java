package weft.bench.jmh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import weft.bench.proxy.Backend;
import weft.proxy.server.ProxyServer;

/**
 * The hop the proxy-hop benchmarks measure through: the built-in backend, a weft proxy on one
 * event loop routing every request to it, and one client socket (TCP_NODELAY) to the proxy's
 * listener, all in this JVM over loopback. The benchmarks speak their own protocol on the socket.
 */
final class ProxyHop implements AutoCloseable {
  private final Backend backend;
  private final Path dir;
  private final ProxyServer proxy;
  private final Socket socket;

  private ProxyHop(Backend backend, Path dir, ProxyServer proxy, Socket socket) {
    this.backend = backend;
    this.dir = dir;
    this.proxy = proxy;
    this.socket = socket;
  }

  /**
   * Starts the hop; {@code clusterOptions} is YAML inserted into the upstream cluster (indented by
   * four spaces, each line ending in a newline), empty for none.
   */
  static ProxyHop start(String tempDirPrefix, String clusterOptions) throws Exception {
    Backend backend = Backend.start(1);
    Path dir = Files.createTempDirectory(tempDirPrefix);
    Path config = dir.resolve("hop.yaml");
    Files.writeString(config, """
        static_resources:
          listeners:
          - name: ingress
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - match: {prefix: "/"}
                        route: {cluster: upstream}
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: upstream
            connect_timeout: 5s
        %s    load_assignment:
              cluster_name: upstream
              endpoints:
              - lb_endpoints:
                - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}
        """.formatted(clusterOptions, backend.port()));
    ProxyServer proxy = ProxyServer.start(config, 1);
    Socket socket = new Socket("127.0.0.1", proxy.listenerAddresses().get(0).getPort());
    socket.setTcpNoDelay(true);
    return new ProxyHop(backend, dir, proxy, socket);
  }

  OutputStream out() throws IOException {
    return socket.getOutputStream();
  }

  InputStream in() throws IOException {
    return socket.getInputStream();
  }

  @Override
  public void close() throws Exception {
    socket.close();
    proxy.close();
    backend.close();
    Files.deleteIfExists(dir.resolve("hop.yaml"));
    Files.deleteIfExists(dir);
  }
}
