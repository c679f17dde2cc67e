package weft.bench.proxy;

/**
 * Envoy v3 bootstraps for the benchmark's weft processes: one HTTP listener routing everything to
 * one static cluster. For the mesh path the client sidecar originates mTLS to the server sidecar and
 * each side accepts only the other's SPIFFE identity ({@code match_typed_subject_alt_names}), as
 * Istio's sidecars do.
 */
final class Bootstraps {
  private Bootstraps() {}

  /** Plain HTTP in, plain HTTP/1.1 to the backend. */
  static String plainHop(int listenPort, int upstreamPort) {
    return "static_resources:\n"
        + listener(listenPort, "upstream", "")
        + "  clusters:\n"
        + cluster("upstream", upstreamPort, "");
  }

  /** The client sidecar: plain HTTP in from the app, mTLS out to the server sidecar. */
  static String clientSidecar(int listenPort, int serverSidecarPort, BenchPki pki, BenchPki.Leaf self, String serverId) {
    String tls = "    transport_socket:\n"
        + "      name: envoy.transport_sockets.tls\n"
        + "      typed_config:\n"
        + "        \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext\n"
        + commonTls("        ", pki, self, serverId);
    return "static_resources:\n"
        + listener(listenPort, "server-sidecar", "")
        + "  clusters:\n"
        + cluster("server-sidecar", serverSidecarPort, tls);
  }

  /** The server sidecar: mTLS in (client certificate required), plain HTTP/1.1 to the app. */
  static String serverSidecar(int listenPort, int appPort, BenchPki pki, BenchPki.Leaf self, String clientId) {
    String tls = "      transport_socket:\n"
        + "        name: envoy.transport_sockets.tls\n"
        + "        typed_config:\n"
        + "          \"@type\": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext\n"
        + "          require_client_certificate: true\n"
        + commonTls("          ", pki, self, clientId);
    return "static_resources:\n"
        + listener(listenPort, "app", tls)
        + "  clusters:\n"
        + cluster("app", appPort, "");
  }

  private static String commonTls(String indent, BenchPki pki, BenchPki.Leaf self, String peerId) {
    return indent + "common_tls_context:\n"
        + indent + "  tls_certificates:\n"
        + indent + "  - certificate_chain: {filename: \"" + self.cert() + "\"}\n"
        + indent + "    private_key: {filename: \"" + self.key() + "\"}\n"
        + indent + "  validation_context:\n"
        + indent + "    trusted_ca: {filename: \"" + pki.caPem() + "\"}\n"
        + indent + "    match_typed_subject_alt_names:\n"
        + indent + "    - san_type: URI\n"
        + indent + "      matcher: {exact: \"" + peerId + "\"}\n";
  }

  private static String listener(int port, String cluster, String transportSocket) {
    return "  listeners:\n"
        + "  - name: ingress\n"
        + "    address: {socket_address: {address: 127.0.0.1, port_value: " + port + "}}\n"
        + "    filter_chains:\n"
        + "    - filters:\n"
        + "      - name: envoy.filters.network.http_connection_manager\n"
        + "        typed_config:\n"
        + "          \"@type\": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager\n"
        + "          stat_prefix: ingress\n"
        + "          codec_type: AUTO\n"
        + "          route_config:\n"
        + "            virtual_hosts:\n"
        + "            - name: all\n"
        + "              domains: [\"*\"]\n"
        + "              routes:\n"
        + "              - match: {prefix: \"/\"}\n"
        + "                route: {cluster: " + cluster + "}\n"
        + "          http_filters:\n"
        + "          - name: envoy.filters.http.router\n"
        + "            typed_config:\n"
        + "              \"@type\": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router\n"
        + transportSocket;
  }

  private static String cluster(String name, int port, String transportSocket) {
    return "  - name: " + name + "\n"
        + "    connect_timeout: 5s\n"
        + "    load_assignment:\n"
        + "      cluster_name: " + name + "\n"
        + "      endpoints:\n"
        + "      - lb_endpoints:\n"
        + "        - endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: " + port + "}}}\n"
        + transportSocket;
  }
}
