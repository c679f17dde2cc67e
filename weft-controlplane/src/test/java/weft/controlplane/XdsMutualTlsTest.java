package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.proxy.xds.WorkloadIdentity;

/**
 * The control plane's xDS port speaks mTLS with node authorization (Istio's 15012): real control
 * plane, real certificates from its CA obtained with bootstrap tokens, real sockets.
 */
@Timeout(60)
class XdsMutualTlsTest {
  static final String CDS = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
  static final String CONTROL_PLANE_ID = "spiffe://cluster.local/ns/weft-system/sa/weft-controlplane";
  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: default}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: a, namespace: default, labels: {app: a}}
      spec: {serviceAccount: a, addresses: [127.0.60.1], ports: [{name: http, port: 80, protocol: TCP}]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: b, namespace: default, labels: {app: b}}
      spec: {serviceAccount: b, addresses: [127.0.60.2], ports: [{name: http, port: 80, protocol: TCP}]}
      """;

  @TempDir static Path tmp;
  static ControlPlane cp;
  static WorkloadIdentity.Issued certA;
  static WorkloadIdentity.Issued certB;

  @BeforeAll
  static void start() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), MESH);
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0));
    await().atMost(Duration.ofSeconds(20)).until(() -> cp.store().state().resources().workloads().size() == 2);
    certA = WorkloadCerts.issue(cp, "default/a");
    certB = WorkloadCerts.issue(cp, "default/b");
  }

  @AfterAll
  static void stop() {
    cp.close();
  }

  @Test
  void aProxyPresentingItsNodesCertificateGetsItsConfig() throws Exception {
    ManagedChannel ch = WorkloadCerts.channel(cp, certA);
    try {
      Ads ads = Ads.open(ch, "default/a");
      DiscoveryResponse cds = ads.response.get(10, TimeUnit.SECONDS);
      assertThat(cds.getTypeUrl()).isEqualTo(CDS);
      // the flow collector's cluster: mTLS to the control plane's SPIFFE ID, with the workload cert
      Cluster collector = cds.getResourcesList().stream().map(r -> unpack(r, Cluster.class))
          .filter(c -> c.getName().equals("weft-control-plane")).findFirst().orElseThrow();
      UpstreamTlsContext tls = collector.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
      var validation = tls.getCommonTlsContext().getCombinedValidationContext();
      assertThat(validation.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
      assertThat(validation.getDefaultValidationContext().getMatchTypedSubjectAltNames(0).getMatcher().getExact())
          .isEqualTo(CONTROL_PLANE_ID);
      await().atMost(Duration.ofSeconds(10)).until(() -> cp.proxies().get("default/a").isPresent());
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aCertificateForAnotherWorkloadCannotAskAsThisNode() throws Exception {
    long before = cp.proxies().denied();
    ManagedChannel ch = WorkloadCerts.channel(cp, certB);
    try {
      Ads ads = Ads.open(ch, "default/a");
      Status s = ads.failure.get(10, TimeUnit.SECONDS);
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).contains("default/a").contains("spiffe://cluster.local/ns/default/sa/b");
      assertThat(ads.response).isNotDone();
      assertThat(cp.proxies().denied()).isEqualTo(before + 1);
      JsonNode status = new ObjectMapper().readTree(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + cp.apiPort() + "/api/v1/status")).build(),
          HttpResponse.BodyHandlers.ofString()).body());
      assertThat(status.path("proxies").path("denied").asLong()).isEqualTo(before + 1);
      assertThat(status.path("proxies").path("lastDenied").asText()).contains("default/a");
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void deltaStreamsAreAuthorizedTheSameWay() throws Exception {
    ManagedChannel ch = WorkloadCerts.channel(cp, certB);
    try {
      CompletableFuture<Status> failure = new CompletableFuture<>();
      StreamObserver<DeltaDiscoveryRequest> out = AggregatedDiscoveryServiceGrpc.newStub(ch)
          .deltaAggregatedResources(new StreamObserver<>() {
            @Override public void onNext(DeltaDiscoveryResponse r) { failure.complete(Status.OK); }
            @Override public void onError(Throwable t) { failure.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() { failure.complete(Status.OK); }
          });
      out.onNext(DeltaDiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId("default/a")).setTypeUrl(CDS).build());
      Status s = failure.get(10, TimeUnit.SECONDS);
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).contains("default/a").contains("sa/b");
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", cp.xdsPort())
        .sslContext(GrpcSslContexts.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build())
        .build();
    try {
      Ads ads = Ads.open(ch, "default/a");
      assertThat(ads.failure.get(10, TimeUnit.SECONDS).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(ads.response).isNotDone();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void aPlaintextClientOnTheTlsPortFails() throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", cp.xdsPort()).usePlaintext().build();
    try {
      Ads ads = Ads.open(ch, "default/a");
      assertThat(ads.failure.get(10, TimeUnit.SECONDS).getCode()).isIn(Status.Code.UNAVAILABLE, Status.Code.INTERNAL);
      assertThat(ads.response).isNotDone();
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void theControlPlanesCertificateChainsToTheMeshRootAndCarriesItsSpiffeId() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    ks.load(null, null);
    ks.setKeyEntry("a", certA.key(), new char[0], certA.chain().toArray(new X509Certificate[0]));
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(ks, new char[0]);
    AtomicReference<X509Certificate[]> presented = new AtomicReference<>();
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), new TrustManager[] {new X509TrustManager() {
      @Override public void checkClientTrusted(X509Certificate[] chain, String authType) {}
      @Override public void checkServerTrusted(X509Certificate[] chain, String authType) {
        presented.set(chain);
      }
      @Override public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    }}, null);
    try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", cp.xdsPort())) {
      SSLParameters p = s.getSSLParameters();
      p.setApplicationProtocols(new String[] {"h2"});
      s.setSSLParameters(p);
      s.startHandshake();
      assertThat(s.getApplicationProtocol()).isEqualTo("h2");
    }
    X509Certificate leaf = presented.get()[0];
    X509Certificate root = certA.chain().getLast();
    leaf.verify(root.getPublicKey());
    assertThat(leaf.getSubjectAlternativeNames()).contains(List.of(6, CONTROL_PLANE_ID), List.of(7, "127.0.0.1"));
    assertThat(cp.servingCertificate().spiffeId()).isEqualTo(CONTROL_PLANE_ID);
  }

  @Test
  void anAccessLogStreamMayReportOnlyAsItsCertificatesNode() throws Exception {
    ManagedChannel ch = WorkloadCerts.channel(cp, certA);
    try {
      long before = cp.flows().stats().received() + cp.flows().stats().ignored();
      CompletableFuture<Void> forged = sendLog(ch, "default/b");
      assertThat(Status.fromThrowable(catchFailure(forged)).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(cp.flows().stats().received() + cp.flows().stats().ignored()).isEqualTo(before);

      sendLog(ch, "default/a").get(10, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(10))
          .until(() -> cp.flows().stats().received() + cp.flows().stats().ignored() == before + 1);
    } finally {
      ch.shutdownNow();
    }
  }

  @Test
  void thePlaintextPortExistsOnlyWhenAskedFor() throws Exception {
    assertThat(cp.insecureXdsPort()).isEmpty();
    Path config = Files.createDirectories(tmp.resolve("config2"));
    Files.writeString(config.resolve("mesh.yaml"), MESH);
    try (ControlPlane plain = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data2"))
        .withPorts(0, 0).withInsecureXdsPort(0))) {
      ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", plain.insecureXdsPort().getAsInt())
          .usePlaintext().build();
      try {
        // unauthenticated by design (istiod's 15010): any node id is served
        Ads ads = Ads.open(ch, "default/a");
        assertThat(ads.response.get(20, TimeUnit.SECONDS).getTypeUrl()).isEqualTo(CDS);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  private static Throwable catchFailure(CompletableFuture<Void> f) throws Exception {
    try {
      f.get(10, TimeUnit.SECONDS);
      throw new AssertionError("the stream was accepted");
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }

  /** One access log stream: the identifier, one HTTP entry, half-close. */
  private static CompletableFuture<Void> sendLog(ManagedChannel ch, String node) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(new StreamObserver<>() {
      @Override public void onNext(StreamAccessLogsResponse r) {}
      @Override public void onError(Throwable t) { done.completeExceptionally(t); }
      @Override public void onCompleted() { done.complete(null); }
    });
    out.onNext(StreamAccessLogsMessage.newBuilder().setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder()
        .setNode(Node.newBuilder().setId(node)).setLogName("inbound")).build());
    out.onNext(StreamAccessLogsMessage.newBuilder().setHttpLogs(StreamAccessLogsMessage.HTTPAccessLogEntries.newBuilder()
        .addLogEntry(HTTPAccessLogEntry.newBuilder().setCommonProperties(AccessLogCommon.getDefaultInstance()))).build());
    out.onCompleted();
    return done;
  }

  private static <T extends com.google.protobuf.Message> T unpack(com.google.protobuf.Any any, Class<T> cls) {
    try {
      return any.unpack(cls);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
  }

  /** An ADS stream asking for CDS as {@code node}: its first response, or how it failed. */
  private record Ads(CompletableFuture<DiscoveryResponse> response, CompletableFuture<Status> failure) {
    static Ads open(ManagedChannel ch, String node) {
      Ads ads = new Ads(new CompletableFuture<>(), new CompletableFuture<>());
      StreamObserver<DiscoveryRequest> out = AggregatedDiscoveryServiceGrpc.newStub(ch)
          .streamAggregatedResources(new StreamObserver<>() {
            @Override public void onNext(DiscoveryResponse r) { ads.response.complete(r); }
            @Override public void onError(Throwable t) { ads.failure.complete(Status.fromThrowable(t)); }
            @Override public void onCompleted() { ads.failure.complete(Status.OK); }
          });
      out.onNext(DiscoveryRequest.newBuilder().setNode(Node.newBuilder().setId(node)).setTypeUrl(CDS).build());
      return ads;
    }
  }
}
