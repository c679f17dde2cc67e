package weft.proxy.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;

/** Starts a proxy from a one-listener bootstrap built around test-supplied YAML snippets. */
final class ProxyFixture implements AutoCloseable {
  final ProxyServer proxy;
  final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(2)).build();

  /**
   * {@code routes} and {@code filters} are indented YAML list items for the virtual host's
   * routes and the HTTP filters before the router; {@code clusters} name -> backend port.
   */
  ProxyFixture(String routes, String filters, String hcmExtra, java.util.Map<String, Integer> clusters)
      throws Exception {
    this(routes, filters, hcmExtra, clusters, "");
  }

  /** As above; {@code clusterExtra} is one YAML line (flow style) added to every cluster. */
  ProxyFixture(String routes, String filters, String hcmExtra, java.util.Map<String, Integer> clusters,
      String clusterExtra) throws Exception {
    StringBuilder cl = new StringBuilder();
    clusters.forEach((name, port) -> cl.append("""
          - name: %s
            %s
            connect_timeout: 1s
            load_assignment:
              cluster_name: %s
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(name, clusterExtra.isEmpty() ? "type: STATIC" : clusterExtra, name, port)));
    String yaml = """
        static_resources:
          listeners:
          - name: ingress
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: test
        #HCM_EXTRA
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
        #ROUTES
                  http_filters:
        #FILTERS
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
        #CLUSTERS
        """.replace("#HCM_EXTRA\n", indent(hcmExtra, 10))
        .replace("#ROUTES\n", indent(routes, 14))
        .replace("#FILTERS\n", indent(filters, 10))
        .replace("#CLUSTERS\n", indent(cl.toString(), 2));
    proxy = ProxyServer.start(BootstrapLoader.parse(yaml, false, "fixture.yaml"), Path.of("."), 1,
        new StatsStore());
  }

  /** Re-indents a YAML snippet so callers need not count spaces. */
  private static String indent(String snippet, int n) {
    String[] lines = snippet.split("\n");
    int min = Integer.MAX_VALUE;
    for (String line : lines) {
      if (!line.isBlank()) {
        min = Math.min(min, line.length() - line.stripLeading().length());
      }
    }
    StringBuilder sb = new StringBuilder();
    for (String line : lines) {
      if (!line.isBlank()) {
        sb.append(" ".repeat(n)).append(line.substring(min)).append('\n');
      }
    }
    return sb.toString();
  }

  int port() {
    return proxy.listenerAddresses().get(0).getPort();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port() + path))
        .timeout(Duration.ofSeconds(10));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  long counter(String name) {
    return proxy.stats().counter(name).value();
  }

  @Override
  public void close() {
    proxy.close();
  }
}
