package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * TCP and TLS services reached through the client's own sidecar (docs/controlplane.md, "Outbound TCP
 * and TLS"): a real control plane, two weft proxies, echo servers behind the server's STRICT inbound
 * listeners. Bytes go app -> client sidecar (outbound_<ip>_<service port>) -> mTLS -> server sidecar
 * -> echo; TLS services share a port and are told apart by SNI; a policy denying the client closes
 * the connection and the flow record says DENIED.
 */
@Timeout(90)
class TcpServiceEndToEndTest {
  private static final String DB = "127.0.0.41";
  private static final String APP = "127.0.0.42";
  private static final Duration CONVERGE = Duration.ofSeconds(20);

  @TempDir Path tmp;
  private final LoopbackMesh open = new LoopbackMesh();

  @AfterEach
  void closeAll() {
    open.close();
  }

  private static int freePort(String address) throws IOException {
    return LoopbackMesh.freePort(address);
  }

  private static String workload(String name, String address, String ports, int outbound) {
    return LoopbackMesh.workload(name, address, ports, outbound);
  }

  private static String service(String name, String ports) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: default}\n"
        + "spec: {selector: {app: db}, ports: [" + ports + "]}\n";
  }

  /** An echo server on 127.0.0.1 (the db workload's app); counts the bytes it received. */
  private ServerSocket echo(AtomicLong received) throws IOException {
    ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
    open.register(server);
    serve(server, received);
    return server;
  }

  private static void serve(ServerSocket server, AtomicLong received) {
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
  }

  /** A self-signed certificate and key for the TLS echo server, as a server and a client context. */
  private record Pki(SSLContext server, SSLContext client) {
    static Pki create() throws Exception {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      KeyPair key = g.generateKeyPair();
      Instant now = Instant.now();
      X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
          new X500Name("CN=db"), BigInteger.TWO, Date.from(now.minus(1, ChronoUnit.HOURS)),
          Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=db"), key.getPublic())
          .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
      SSLContext server = ((JdkSslContext) SslContextBuilder.forServer(key.getPrivate(), cert)
          .sslProvider(SslProvider.JDK).build()).context();
      SSLContext client = ((JdkSslContext) SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
          .trustManager(cert).build()).context();
      return new Pki(server, client);
    }
  }

  /** The app's own TLS server: TLS terminated here only, never by a proxy. */
  private ServerSocket tlsEcho(SSLContext context, AtomicLong received) throws IOException {
    SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory()
        .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
    open.register(server);
    serve(server, received);
    return server;
  }

  /** Dials {@code address:port} and speaks TLS with SNI {@code serverName} through it. */
  private static String tlsRoundTrip(SSLContext context, String address, int port, String serverName, String line)
      throws IOException {
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(address, port), 2000);
      plain.setSoTimeout(5000);
      try (SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, serverName, port, true)) {
        // the JDK sends no SNI for a name without a dot unless told to (RFC 6066 wants a FQDN)
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName(serverName)));
        s.setSSLParameters(p);
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
        return new String(s.getInputStream().readNBytes(bytes.length), StandardCharsets.US_ASCII);
      }
    }
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
    // two TLS services on one port, told apart by SNI: vault and ldap, both served by db's workload
    Pki pki = Pki.create();
    AtomicLong vaultReceived = new AtomicLong();
    AtomicLong ldapReceived = new AtomicLong();
    int vaultPort = tlsEcho(pki.server(), vaultReceived).getLocalPort();
    int ldapPort = tlsEcho(pki.server(), ldapReceived).getLocalPort();
    int tlsServicePort = freePort(APP);
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), String.join("---\n",
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: default}\n",
        workload("db", DB, "{name: tcp-db, port: " + dbPort + "}, {name: tls-vault, port: " + vaultPort
            + "}, {name: tls-ldap, port: " + ldapPort + "}", freePort(DB)),
        workload("app", APP, "{name: http, port: " + freePort(APP) + "}", freePort(APP)),
        service("db", "{name: tcp-db, port: " + servicePort + ", targetPort: " + dbPort + "}"),
        service("vault", "{name: tls, port: " + tlsServicePort + ", targetPort: " + vaultPort + "}"),
        service("ldap", "{name: x, appProtocol: https, port: " + tlsServicePort + ", targetPort: " + ldapPort + "}"),
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: default}\n"
            + "spec: {mtls: {mode: STRICT}}\n"));
    ControlPlane cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0));
    open.register(cp);
    for (String w : List.of("db", "app")) {
      open.register(XdsProxy.start(new XdsProxy.Options(new InetSocketAddress("127.0.0.1", cp.xdsPort()), "default/" + w,
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

    // 2. TLS services: the app's TLS to its sidecar, routed by SNI, inside mTLS, terminated by the app only
    await().atMost(CONVERGE).ignoreExceptions().untilAsserted(() ->
        assertThat(tlsRoundTrip(pki.client(), APP, tlsServicePort, "vault", "secret\n")).isEqualTo("secret\n"));
    assertThat(ldapReceived.get()).isZero();
    assertThat(tlsRoundTrip(pki.client(), APP, tlsServicePort, "ldap.default.svc.cluster.local", "bind\n"))
        .isEqualTo("bind\n");
    assertThat(ldapReceived.get()).isPositive();
    // a name no service on the port has matches no filter chain: the connection is closed
    long vaultBefore = vaultReceived.get();
    long ldapBefore = ldapReceived.get();
    assertThatThrownBy(() -> tlsRoundTrip(pki.client(), APP, tlsServicePort, "other.example", "x\n"))
        .isInstanceOf(IOException.class);
    assertThat(vaultReceived.get()).isEqualTo(vaultBefore);
    assertThat(ldapReceived.get()).isEqualTo(ldapBefore);

    // 3. a policy denies the client: the connection is closed before a byte reaches the echo server
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
