package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;
import weft.proxy.observe.TestAccessLogCollector;
import weft.proxy.tls.TestPki;

/**
 * Envoy's gRPC access loggers ({@code envoy.access_loggers.http_grpc} / {@code tcp_grpc}) end to
 * end: a real proxy over mTLS streams entries to a real AccessLogService on a port-0 socket,
 * reached through an {@code envoy_grpc} cluster. Field filling follows Envoy's
 * grpc_access_log_utils.cc and the HTTP/TCP gRPC loggers.
 */
@Timeout(60)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcAccessLogTest {
  private static final String TWEET = "spiffe://cluster.local/ns/default/sa/tweet";

  private Path dir;
  private TestAccessLogCollector collector;
  private TestBackend backend;
  private ProxyServer proxy;
  private HttpClient client;
  private StatsStore stats;

  @BeforeAll
  void start(@TempDir Path tmp) throws Exception {
    dir = tmp;
    collector = new TestAccessLogCollector();
    backend = new TestBackend("b");
    TestPki pki = TestPki.create(dir, "ca");
    pki.issue("server", TestPki.KeyType.EC_P256, "ip:127.0.0.1");
    TestPki.Issued tweet = pki.issue("tweet", TestPki.KeyType.EC_P256, "uri:" + TWEET);
    stats = new StatsStore();
    proxy = ProxyServer.start(BootstrapLoader.parse(yaml(), false, "als.yaml"), dir, 1, stats);
    client = mtlsClient(pki, tweet);
  }

  @AfterAll
  void stop() throws Exception {
    if (proxy != null) {
      proxy.close();
    }
    backend.close();
    collector.close();
  }

  private String yaml() {
    String grpc = "grpc_service: {envoy_grpc: {cluster_name: als}}";
    return """
        node: {id: proxy-1, cluster: test-cluster, metadata: {team: flows}}
        static_resources:
          listeners:
          - name: http
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - transport_socket:
                name: envoy.transport_sockets.tls
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext
                  require_client_certificate: true
                  common_tls_context:
                    tls_certificates:
                    - certificate_chain: {filename: %1$s/server.crt.pem}
                      private_key: {filename: %1$s/server.key.pem}
                    validation_context: {trusted_ca: {filename: %1$s/ca.crt.pem}}
              filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: http
                  access_log:
                  - name: envoy.access_loggers.http_grpc
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig
                      common_config:
                        log_name: http-log
                        transport_api_version: V3
                        buffer_flush_interval: 0.05s
                        %2$s
                        custom_tags: [{tag: env, literal: {value: test}}, {tag: trace, request_header: {name: x-trace, default_value: none}}]
                      additional_request_headers_to_log: [x-trace]
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes:
                      - {name: ok, match: {prefix: "/ok"}, route: {cluster: b}}
                      - {name: admin, match: {prefix: "/admin"}, route: {cluster: b}}
                  http_filters:
                  - name: envoy.filters.http.rbac
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC
                      rules:
                        action: DENY
                        policies:
                          deny-admin:
                            permissions: [{url_path: {path: {prefix: /admin}}}]
                            principals: [{any: true}]
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
          - name: tcp
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            access_log:
            - name: envoy.access_loggers.tcp_grpc
              typed_config:
                "@type": type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig
                common_config: {log_name: listener-log, buffer_flush_interval: 0.05s, %2$s}
            filter_chains:
            - filters:
              - name: envoy.filters.network.rbac
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC
                  stat_prefix: tcp
                  rules:
                    action: DENY
                    policies:
                      deny-all: {permissions: [{any: true}], principals: [{any: true}]}
              - name: envoy.filters.network.tcp_proxy
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy
                  stat_prefix: tcp
                  cluster: b
                  access_log:
                  - name: envoy.access_loggers.tcp_grpc
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig
                      common_config: {log_name: tcp-log, buffer_flush_interval: 0.05s, %2$s}
          clusters:
          - name: b
            load_assignment:
              cluster_name: b
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %3$d}}}}]}]
          - name: als
            load_assignment:
              cluster_name: als
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %4$d}}}}]}]
        """.formatted(dir, grpc, backend.port(), collector.port());
  }

  private static HttpClient mtlsClient(TestPki pki, TestPki.Issued client) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    trust.setCertificateEntry("ca", pki.caCert());
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    keys.setKeyEntry("client", client.key(), new char[0], new X509Certificate[] {client.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, new char[0]);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
  }

  private int get(String path) throws Exception {
    URI uri = URI.create("https://127.0.0.1:" + proxy.listenerAddresses().get(0).getPort() + path);
    return client.send(HttpRequest.newBuilder(uri).header("x-trace", "t-" + path).build(),
        HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  private HTTPAccessLogEntry entryFor(String path) {
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.http("http-log").stream()
        .anyMatch(e -> e.getRequest().getPath().equals(path)));
    return collector.http("http-log").stream()
        .filter(e -> e.getRequest().getPath().equals(path)).findFirst().orElseThrow();
  }

  @Test
  void forwardedRequestFillsCommonRequestAndResponseFields() throws Exception {
    assertThat(get("/ok/1")).isEqualTo(200);
    HTTPAccessLogEntry e = entryFor("/ok/1");
    var c = e.getCommonProperties();
    assertThat(e.getProtocolVersion()).isEqualTo(HTTPAccessLogEntry.HTTPVersion.HTTP11);
    assertThat(e.getRequest().getRequestMethod()).isEqualTo(RequestMethod.GET);
    assertThat(e.getRequest().getScheme()).isEqualTo("https");
    assertThat(e.getRequest().getAuthority()).startsWith("127.0.0.1:");
    assertThat(e.getRequest().getRequestHeadersBytes()).isPositive();
    assertThat(e.getRequest().getRequestHeadersMap()).containsEntry("x-trace", "t-/ok/1");
    assertThat(e.getResponse().getResponseCode().getValue()).isEqualTo(200);
    assertThat(e.getResponse().getResponseCodeDetails()).isEqualTo("via_upstream");
    assertThat(e.getResponse().getResponseBodyBytes()).isEqualTo("b GET /ok/1".length());
    assertThat(c.getUpstreamCluster()).isEqualTo("b");
    assertThat(c.getUpstreamRemoteAddress().getSocketAddress().getPortValue())
        .isEqualTo(backend.port());
    assertThat(c.getRouteName()).isEqualTo("ok");
    assertThat(c.getDownstreamRemoteAddress().getSocketAddress().getAddress())
        .isEqualTo("127.0.0.1");
    assertThat(c.getDownstreamLocalAddress().getSocketAddress().getPortValue())
        .isEqualTo(proxy.listenerAddresses().get(0).getPort());
    assertThat(c.getStartTime().getSeconds())
        .isBetween(System.currentTimeMillis() / 1000 - 60, System.currentTimeMillis() / 1000 + 1);
    assertThat(c.hasTimeToLastDownstreamTxByte()).isTrue();
    assertThat(c.hasTimeToLastRxByte()).isTrue();
    assertThat(c.hasTimeToFirstUpstreamRxByte()).isTrue();
    long total = c.getTimeToLastDownstreamTxByte().getSeconds() * 1000
        + c.getTimeToLastDownstreamTxByte().getNanos() / 1_000_000;
    assertThat(c.getTimeToFirstUpstreamRxByte().getNanos() / 1_000_000
        + c.getTimeToFirstUpstreamRxByte().getSeconds() * 1000).isLessThanOrEqualTo(total);
    assertThat(c.hasResponseFlags()).isFalse();
    assertThat(c.getCustomTagsMap()).containsEntry("env", "test").containsEntry("trace", "t-/ok/1");
  }

  @Test
  void mtlsPeerIdentityIsInTlsProperties() throws Exception {
    assertThat(get("/ok/peer")).isEqualTo(200);
    TLSProperties tls = entryFor("/ok/peer").getCommonProperties().getTlsProperties();
    assertThat(tls.getPeerCertificateProperties().getSubjectAltNameList())
        .extracting(TLSProperties.CertificateProperties.SubjectAltName::getUri)
        .containsExactly(TWEET);
    assertThat(tls.getTlsVersion()).isIn(TLSProperties.TLSVersion.TLSv1_2,
        TLSProperties.TLSVersion.TLSv1_3);
  }

  @Test
  void routeNotFoundIsA404WithTheNoRouteFlag() throws Exception {
    assertThat(get("/missing")).isEqualTo(404);
    HTTPAccessLogEntry e = entryFor("/missing");
    assertThat(e.getResponse().getResponseCode().getValue()).isEqualTo(404);
    assertThat(e.getResponse().getResponseCodeDetails()).isEqualTo("route_not_found");
    assertThat(e.getCommonProperties().getResponseFlags().getNoRouteFound()).isTrue();
  }

  @Test
  void rbacDenialNamesThePolicyInResponseCodeDetails() throws Exception {
    assertThat(get("/admin/x")).isEqualTo(403);
    HTTPAccessLogEntry e = entryFor("/admin/x");
    assertThat(e.getResponse().getResponseCode().getValue()).isEqualTo(403);
    assertThat(e.getResponse().getResponseCodeDetails())
        .isEqualTo("rbac_access_denied_matched_policy[deny-admin]");
    // Envoy has no ResponseFlags field for RBAC: the details carry the denial
    assertThat(e.getCommonProperties().hasResponseFlags()).isFalse();
    assertThat(e.getCommonProperties().hasUpstreamRemoteAddress()).isFalse();
  }

  @Test
  void identifierWithTheNodeAndLogNameComesOnTheFirstMessageOnly() throws Exception {
    assertThat(get("/ok/first")).isEqualTo(200);
    entryFor("/ok/first");
    int before = collector.streams("http-log").get(0).messages.size();
    assertThat(get("/ok/second")).isEqualTo(200);
    entryFor("/ok/second");
    List<TestAccessLogCollector.Stream> streams = collector.streams("http-log");
    assertThat(streams).hasSize(1);
    List<StreamAccessLogsMessage> messages = streams.get(0).messages;
    assertThat(messages.size()).isGreaterThan(before);
    var id = messages.get(0).getIdentifier();
    assertThat(id.getLogName()).isEqualTo("http-log");
    assertThat(id.getNode().getId()).isEqualTo("proxy-1");
    assertThat(id.getNode().getCluster()).isEqualTo("test-cluster");
    assertThat(id.getNode().getMetadata().getFieldsMap().get("team").getStringValue())
        .isEqualTo("flows");
    assertThat(messages.subList(1, messages.size()))
        .allSatisfy(m -> assertThat(m.hasIdentifier()).isFalse());
    assertThat(stats.counter("access_logs.grpc_access_log.logs_written").value()).isPositive();
  }

  @Test
  void networkRbacDenialIsLoggedWithConnectionTerminationDetails() throws Exception {
    int port = proxy.listenerAddresses().get(1).getPort();
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      out.write("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      assertThat(in.read()).isEqualTo(-1); // closed by the proxy
    } catch (java.net.SocketException e) {
      assertThat(e.getMessage()).contains("reset"); // closed with bytes unread: also a close
    }
    String denied = "rbac_access_denied_matched_policy[deny-all]";
    await().atMost(Duration.ofSeconds(10)).until(() ->
        collector.tcp("listener-log").stream().anyMatch(
            e -> e.getCommonProperties().getConnectionTerminationDetails().equals(denied))
        && collector.tcp("tcp-log").stream().anyMatch(
            e -> e.getCommonProperties().getConnectionTerminationDetails().equals(denied)));
    TCPAccessLogEntry listener = collector.tcp("listener-log").get(0);
    assertThat(listener.getCommonProperties().getDownstreamLocalAddress().getSocketAddress()
        .getPortValue()).isEqualTo(port);
    assertThat(listener.getConnectionProperties().getSentBytes()).isZero();
    TCPAccessLogEntry tcp = collector.tcp("tcp-log").get(0);
    assertThat(tcp.getCommonProperties().getUpstreamCluster()).isEqualTo("b");
    assertThat(tcp.getConnectionProperties().getSentBytes()).isZero();
    assertThat(collector.streams("tcp-log").get(0).messages.get(0).getIdentifier().getNode()
        .getId()).isEqualTo("proxy-1");
  }
}
