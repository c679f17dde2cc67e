package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.TestPki;

/**
 * RBAC principals from mTLS (rbac.proto Principal.authenticated): the verified client
 * certificate's URI SAN is the principal.
 */
@Timeout(60)
class MtlsRbacTest {
  private static final String TWEET = "spiffe://cluster.local/ns/default/sa/tweet";

  private static String yaml(Path dir, int backend, boolean verifyClients) {
    String validation = verifyClients ? """
                    validation_context: {trusted_ca: {filename: %s}}
        """.formatted(dir.resolve("ca.crt.pem")) : "";
    return """
        static_resources:
          listeners:
          - name: mtls
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: %s
                  common_tls_context:
                    tls_certificates:
                    - certificate_chain: {filename: %s}
                      private_key: {filename: %s}
        #VALIDATION
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: mtls
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes: [{match: {prefix: "/"}, route: {cluster: b}}]
                  http_filters:
                  - name: envoy.filters.http.rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                      rules:
                        action: ALLOW
                        policies:
                          tweet:
                            permissions: [{any: true}]
                            principals: [{authenticated: {principal_name: {exact: "%s"}}}]
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          clusters:
          - name: b
            load_assignment:
              cluster_name: b
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(verifyClients, dir.resolve("server.crt.pem"), dir.resolve("server.key.pem"),
            TWEET, backend).replace("#VALIDATION\n", validation);
  }

  private static int call(ProxyServer p, TestPki pki, TestPki.Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.caCert());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", client.key(), new char[0], new X509Certificate[] {client.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    HttpClient c = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create("https://127.0.0.1:" + p.listenerAddresses().get(0).getPort() + "/");
    return c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  @Test
  void allowsTheVerifiedSpiffeIdentityAndDeniesAnotherOne(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    pki.issue("server", TestPki.KeyType.EC_P256, "ip:127.0.0.1");
    TestPki.Issued tweet = pki.issue("tweet", TestPki.KeyType.EC_P256, "uri:" + TWEET);
    TestPki.Issued jobs = pki.issue("jobs", TestPki.KeyType.EC_P256,
        "uri:spiffe://cluster.local/ns/default/sa/jobs");
    try (TestBackend b = new TestBackend("b");
        ProxyServer p = ProxyServer.start(BootstrapLoader.parse(yaml(dir, b.port(), true), false, "m"),
            dir, 1, new StatsStore())) {
      assertThat(call(p, pki, tweet)).isEqualTo(200);
      assertThat(call(p, pki, jobs)).isEqualTo(403);
    }
  }
}
