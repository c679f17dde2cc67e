package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.TestPki;

/**
 * The two-hop mesh path (app -> client sidecar -> mTLS HTTP/1.1 -> server sidecar -> app) must
 * survive downstream clients that vanish mid-request and mid-response: afterwards ordinary
 * requests are answered, and no keep-alive connection between the sidecars is left unread.
 */
@Timeout(90)
class SidecarAbortTest {
  private static final String CLIENT_ID = TestPki.spiffe("default", "client");
  private static final String SERVER_ID = TestPki.spiffe("default", "server");
  private static final String BODY = "x".repeat(16 * 1024);

  private static String listener(String cluster, String transportSocket) {
    return """
          listeners:
          - name: ingress
            address: {socket_address: {address: 127.0.0.1, port_value: 0}}
            filter_chains:
            - filters:
              - name: envoy.filters.network.http_connection_manager
                typed_config:
                  "@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager
                  stat_prefix: ingress
                  codec_type: AUTO
                  route_config:
                    virtual_hosts:
                    - name: all
                      domains: ["*"]
                      routes: [{match: {prefix: "/"}, route: {cluster: %s}}]
                  http_filters:
                  - name: envoy.filters.http.router
                    typed_config:
                      "@type": type.googleapis.com/envoy.extensions.filters.http.router.v3.Router
        """.formatted(cluster) + transportSocket.indent(6);
  }

  private static String cluster(String name, int port, String transportSocket) {
    return """
          clusters:
          - name: %s
            connect_timeout: 2s
            load_assignment:
              cluster_name: %s
              endpoints: [{lb_endpoints: [{endpoint: {address: {socket_address: {address: 127.0.0.1, port_value: %d}}}}]}]
        """.formatted(name, name, port) + transportSocket.indent(4);
  }

  /** A TLS transport socket accepting only {@code peer}'s SPIFFE identity, as Istio's sidecars. */
  private static String transportSocket(String type, String extra, TestPki pki, TestPki.Issued self,
      String peer) {
    return """
        transport_socket:
          name: envoy.transport_sockets.tls
          typed_config:
            "@type": type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.%s
        %s    common_tls_context:
              tls_certificates:
              - certificate_chain: {filename: "%s"}
                private_key: {filename: "%s"}
              validation_context:
                trusted_ca: {filename: "%s"}
                match_typed_subject_alt_names:
                - san_type: URI
                  matcher: {exact: "%s"}
        """.formatted(type, extra, self.certPem(), self.keyPem(), pki.caPem(), peer);
  }

  private static ProxyServer serverSidecar(Path dir, TestPki pki, TestPki.Issued self, int app)
      throws Exception {
    String tls = transportSocket("DownstreamTlsContext", "    require_client_certificate: true\n",
        pki, self, CLIENT_ID);
    String yaml = "static_resources:\n" + listener("app", tls) + cluster("app", app, "");
    return ProxyServer.start(BootstrapLoader.parse(yaml, false, "server.yaml"), dir, 1, new StatsStore());
  }

  private static ProxyServer clientSidecar(Path dir, TestPki pki, TestPki.Issued self, int server)
      throws Exception {
    String tls = transportSocket("UpstreamTlsContext", "", pki, self, SERVER_ID);
    String yaml = "static_resources:\n" + listener("server-sidecar", "")
        + cluster("server-sidecar", server, tls);
    return ProxyServer.start(BootstrapLoader.parse(yaml, false, "client.yaml"), dir, 1, new StatsStore());
  }

  /** One impatient client: a keep-alive exchange or two, then it leaves at a random point. */
  private static void abortOnce(int port) throws Exception {
    ThreadLocalRandom rnd = ThreadLocalRandom.current();
    String get = "GET /a HTTP/1.1\r\nhost: app\r\n\r\n";
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5_000);
      if (rnd.nextBoolean()) {
        s.setSoLinger(true, 0); // leave with a reset rather than a FIN
      }
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      int before = rnd.nextInt(3);
      for (int i = 0; i < before; i++) {
        out.write(get.getBytes(StandardCharsets.ISO_8859_1));
        readResponse(in);
      }
      switch (rnd.nextInt(4)) {
        case 0 -> out.write("GET /a HTTP/1.1\r\nhost: a".getBytes(StandardCharsets.ISO_8859_1));
        case 1 -> out.write(get.getBytes(StandardCharsets.ISO_8859_1));
        case 2 -> {
          out.write(get.getBytes(StandardCharsets.ISO_8859_1));
          in.readNBytes(1 + rnd.nextInt(BODY.length()));
        }
        default -> {
          out.write("POST /a HTTP/1.1\r\nhost: app\r\ncontent-length: 1000\r\n\r\nabc"
              .getBytes(StandardCharsets.ISO_8859_1));
        }
      }
      out.flush();
    }
  }

  /** Reads one response with a content-length body (the only kind the backend sends). */
  private static void readResponse(InputStream in) throws Exception {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int c = in.read();
      if (c < 0) {
        throw new IllegalStateException("closed mid-head: " + head);
      }
      head.append((char) c);
    }
    int at = head.indexOf("content-length: ");
    int len = Integer.parseInt(head.substring(at + 16, head.indexOf("\r\n", at)));
    in.readNBytes(len);
  }

  @Test
  void clientsVanishingMidExchangeDoNotWedgeTheMtlsHop(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(dir, "ca");
    TestPki.Issued serverCert = pki.issue("server", TestPki.KeyType.EC_P256, "uri:" + SERVER_ID);
    TestPki.Issued clientCert = pki.issue("client", TestPki.KeyType.EC_P256, "uri:" + CLIENT_ID);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try (TestBackend app = new TestBackend("app");
        ProxyServer server = serverSidecar(dir, pki, serverCert, app.port());
        ProxyServer client = clientSidecar(dir, pki, clientCert,
            server.listenerAddresses().get(0).getPort())) {
      app.handler = req -> TestBackend.text(200, BODY);
      int port = client.listenerAddresses().get(0).getPort();
      long until = System.nanoTime() + Duration.ofSeconds(3).toNanos();
      List<Future<?>> storm = new ArrayList<>();
      for (int t = 0; t < 16; t++) {
        storm.add(pool.submit(() -> {
          while (System.nanoTime() < until) {
            try {
              abortOnce(port);
            } catch (Exception expected) {
              // a proxy closing an aborted exchange is fine; wedging is not
            }
          }
          return null;
        }));
      }
      for (Future<?> f : storm) {
        f.get();
      }

      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      URI uri = URI.create("http://127.0.0.1:" + port + "/after");
      List<Future<Integer>> calls = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        calls.add(pool.submit(() -> http.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode()));
      }
      for (Future<Integer> f : calls) {
        assertThat(f.get()).isEqualTo(200);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
