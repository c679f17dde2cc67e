package weft.proxy.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.config.BootstrapLoader;
import weft.proxy.observe.StatsStore;
import weft.proxy.tls.TestPki;

/** Runs the proxy on each example under {@code examples/}, its ports rewritten to test ports. */
@Timeout(60)
class ExamplesTest {
  private static final Path EXAMPLES = Path.of("..", "examples");

  private static String example(String name) throws Exception {
    return Files.readString(EXAMPLES.resolve(name).resolve("envoy.yaml"));
  }

  private static ProxyServer start(String yaml, Path baseDir) throws Exception {
    return ProxyServer.start(BootstrapLoader.parse(yaml, false, "example"), baseDir, 1, new StatsStore());
  }

  @Test
  void frontProxyRoutesTwoServicesByPrefix() throws Exception {
    try (TestBackend s1 = new TestBackend("service1"); TestBackend s2 = new TestBackend("service2")) {
      String yaml = example("front-proxy")
          .replace("port_value: 8080", "port_value: 0")
          .replace("port_value: 9901", "port_value: 0")
          .replace("port_value: 8081", "port_value: " + s1.port())
          .replace("port_value: 8082", "port_value: " + s2.port());
      try (ProxyServer p = start(yaml, EXAMPLES.resolve("front-proxy"))) {
        HttpClient c = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + p.listenerAddresses().get(0).getPort();
        var r1 = c.send(HttpRequest.newBuilder(URI.create(base + "/service/1")).build(),
            HttpResponse.BodyHandlers.ofString());
        var r2 = c.send(HttpRequest.newBuilder(URI.create(base + "/service/2")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(r1.body()).isEqualTo("service1 GET /service/1");
        assertThat(r2.body()).isEqualTo("service2 GET /service/2");
        var ready = c.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + p.adminAddress().getPort() + "/ready")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void tlsTerminationServesHttpsAndH2OverAlpn(@TempDir Path dir) throws Exception {
    TestPki pki = TestPki.create(Files.createDirectories(dir.resolve("certs")));
    pki.issue("server", TestPki.KeyType.EC_P256, "ip:127.0.0.1", "dns:localhost");
    try (TestBackend app = new TestBackend("app")) {
      String yaml = example("tls-termination")
          .replace("port_value: 8443", "port_value: 0")
          .replace("port_value: 8081", "port_value: " + app.port());
      try (ProxyServer p = start(yaml, dir)) {
        KeyStore ts = KeyStore.getInstance(KeyStore.getDefaultType());
        ts.load(null, null);
        ts.setCertificateEntry("ca", pki.caCert());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ts);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        URI uri = URI.create("https://127.0.0.1:" + p.listenerAddresses().get(0).getPort() + "/hello");
        for (HttpClient.Version v : HttpClient.Version.values()) {
          HttpClient c = HttpClient.newBuilder().sslContext(ssl).version(v).build();
          var r = c.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).isEqualTo(200);
          assertThat(r.body()).isEqualTo("app GET /hello");
          assertThat(r.version()).isEqualTo(v);
        }
        assertThat(app.requests().get(0).headers()).containsEntry("x-forwarded-proto", "https");
      }
    }
  }

  @Test
  void grpcExampleCarriesH2StreamsAndTrailersToAnH2Backend() throws Exception {
    try (H2Peers.Backend grpc = new H2Peers.Backend()) {
      String yaml = example("grpc")
          .replace("port_value: 8080", "port_value: 0")
          .replace("port_value: 50051", "port_value: " + grpc.port());
      try (ProxyServer p = start(yaml, EXAMPLES.resolve("grpc"));
          H2Peers.Client c = new H2Peers.Client(p.listenerAddresses().get(0).getPort())) {
        var req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/kv.KV/Get",
            Unpooled.copiedBuffer("\0\0\0\0\1k", StandardCharsets.ISO_8859_1));
        req.headers().set("host", "kv").set("content-type", "application/grpc").set("te", "trailers");
        FullHttpResponse r = c.send(req).get(10, TimeUnit.SECONDS);
        try {
          assertThat(r.status().code()).isEqualTo(200);
          assertThat(r.trailingHeaders().get("grpc-status")).isEqualTo("0");
        } finally {
          r.release();
        }
      }
      FullHttpRequestAssert.forwardedTe(grpc);
    }
  }

  /** What the gRPC backend saw: te: trailers survives hop-by-hop removal. */
  private static final class FullHttpRequestAssert {
    static void forwardedTe(H2Peers.Backend b) {
      assertThat(b.seen.peek().headers().get("te")).isEqualTo("trailers");
    }
  }
}
