package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.flows.FlowRecord;
import weft.proxy.xds.XdsProxy;

/**
 * A TCP service reached through the client's own sidecar (docs/controlplane.md, "Outbound TCP and
 * TLS"): a real control plane, two weft proxies, a plain TCP echo server behind the server's STRICT
 * inbound listener. Bytes go app -> client sidecar (outbound_<ip>_<service port>) -> mTLS -> server
 * sidecar -> echo; a policy denying the client closes the connection and the flow record says DENIED.
 */
@Timeout(90)
class TcpServiceEndToEndTest {
  private static final String DB = "127.0.0.41";
  private static final String APP = "127.0.0.42";
  private static final Duration CONVERGE = Duration.ofSeconds(20);

  @TempDir Path tmp;
  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void closeAll() {
    for (AutoCloseable c : open.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        // best effort
      }
    }
  }

  private static int freePort(String address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
      return s.getLocalPort();
    }
  }

  private static String workload(String name, String address, String port, int outbound) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %1$s, namespace: default, labels: {app: %1$s}}
        spec:
          serviceAccount: %1$s
          addresses: [%2$s]
          ports: [%3$s]
          app: {address: 127.0.0.1, portOffset: 0}
          proxy: {outboundPort: %4$d}
        """.formatted(name, address, port, outbound);
  }

  /** An echo server on 127.0.0.1 (the db workload's app); counts the bytes it received. */
  private ServerSocket echo(AtomicLong received) throws IOException {
    ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    open.add(server);
    Thread.ofVirtual().start(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread.ofVirtual().start(() -> {
            try (s) {
              byte[] buf = new byte[4096];
              for (int n; (n = s.getInputStream().read(buf)) >= 0; ) {
                received.addAndGet(n);
                s.getOutputStream().write(buf, 0, n);
              }
            } catch (IOException e) {
              // the peer went away
            }
          });
        } catch (IOException e) {
          return;
        }
      }
    });
    return server;
  }

  /** Sends {@code line} and reads as many bytes back; fewer when the connection is closed first. */
  private static String roundTrip(String address, int port, String line) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(address, port), 2000);
      s.setSoTimeout(5000);
      byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
      try {
        OutputStream out = s.getOutputStream();
        out.write(bytes);
        out.flush();
        InputStream in = s.getInputStream();
        return new String(in.readNBytes(bytes.length), StandardCharsets.US_ASCII);
      } catch (java.net.SocketException e) {
        // reset by the proxy: nothing came back (a read timeout still fails the caller)
        return "";
      }
    }
  }

  @Test
  void bytesReachATcpServiceThroughBothSidecarsOverMtlsAndADenyPolicyClosesTheConnection() throws Exception {
    AtomicLong received = new AtomicLong();
    int dbPort = echo(received).getLocalPort();
    int servicePort = freePort(APP);
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), String.join("---\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
        workload("db", DB, "{name: tcp-db, port: " + dbPort + "}", freePort(DB)),
        workload("app", APP, "{name: http, port: " + freePort(APP) + "}", freePort(APP)),
        "apiVersion: v1\nkind: Service\nmetadata: {name: db, namespace: default}\n"
            + "spec: {selector: {app: db}, ports: [{name: tcp-db, port: " + servicePort + ", targetPort: " + dbPort + "}]}\n",
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: default}\n"
            + "spec: {mtls: {mode: STRICT}}\n"));
    ControlPlane cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0));
    open.add(cp);
    for (String w : List.of("db", "app")) {
      open.add(XdsProxy.start(new XdsProxy.Options(new InetSocketAddress("127.0.0.1", cp.xdsPort()), "default/" + w,
          cp.tokenFile("default/" + w), "127.0.0.1:" + cp.apiPort(), 0, 1, Duration.ofMillis(200))));
    }

    // 1. the app dials its own sidecar at the service port; the echo comes back through mTLS
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(roundTrip(APP, servicePort, "ping\n")).isEqualTo("ping\n"));
    assertThat(cp.proxies().all()).hasSize(2).allSatisfy(p -> assertThat(p.lastNack()).isEmpty());
    // the db's STRICT inbound saw the client's SPIFFE ID: the hop between the sidecars was mTLS
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(cp.flows().query(r ->
            r.direction() == FlowRecord.Direction.INGRESS && r.protocol().equals("tcp"), 100))
        .anySatisfy(r -> {
          assertThat(r.verdict()).isEqualTo(FlowRecord.Verdict.FORWARDED);
          assertThat(r.peerIdentity()).isEqualTo("spiffe://cluster.local/ns/default/sa/app");
          assertThat(r.destination().workload()).isEqualTo("db");
        }));
    // and the client's sidecar recorded the egress flow to the service
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(cp.flows().query(r ->
            r.direction() == FlowRecord.Direction.EGRESS && r.protocol().equals("tcp"), 100))
        .anySatisfy(r -> {
          assertThat(r.source().workload()).isEqualTo("app");
          assertThat(r.destination().service()).isEqualTo("db");
          assertThat(r.destination().port()).isEqualTo(servicePort);
        }));

    // 2. a policy denies the client: the connection is closed before a byte reaches the echo server
    // (the upstream connection may open: as in Envoy, network RBAC decides on the first bytes)
    Files.writeString(config.resolve("deny.yaml"), """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: db-deny-app, namespace: default}
        spec:
          selector: {matchLabels: {app: db}}
          action: DENY
          rules: [{from: [{source: {principals: [cluster.local/ns/default/sa/app]}}]}]
        """);
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(roundTrip(APP, servicePort, "ping\n")).isEmpty());
    long before = received.get();
    assertThat(roundTrip(APP, servicePort, "again\n")).isEmpty();
    assertThat(received.get()).isEqualTo(before);
    await().atMost(CONVERGE).untilAsserted(() -> assertThat(cp.flows().query(r ->
            r.verdict() == FlowRecord.Verdict.DENIED, 100))
        .anySatisfy(r -> {
          assertThat(r.source().workload()).isEqualTo("app");
          assertThat(r.destination().workload()).isEqualTo("db");
          assertThat(r.policy()).contains("db-deny-app");
        }));
  }
}
