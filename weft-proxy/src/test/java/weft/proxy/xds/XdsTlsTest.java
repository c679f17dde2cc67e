package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.accesslog.v3.AccessLogServiceGrpc;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsMessage;
import io.envoyproxy.envoy.service.accesslog.v3.StreamAccessLogsResponse;
import io.grpc.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.InetSocketAddress;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ADS channel's mTLS: it presents the workload certificate and accepts only the control plane's
 * SPIFFE ID under the mesh root the CA answered with. Real certificates, real TLS on port 0.
 */
@Timeout(30)
class XdsTlsTest {
  static final String CONTROL_PLANE = "spiffe://cluster.local/ns/weft-system/sa/weft-controlplane";

  TestCa ca;
  Server server;
  final AtomicReference<String> clientIdentity = new AtomicReference<>();

  @BeforeEach
  void startCa() throws Exception {
    ca = new TestCa("t");
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    ca.close();
  }

  @Test
  void presentsTheWorkloadCertificateToTheControlPlanesSpiffeId() throws Exception {
    int port = serve(CONTROL_PLANE);
    XdsTls tls = new XdsTls();
    assertThat(tls.update(issue())).isTrue();
    assertThat(tls.controlPlaneId()).isEqualTo(CONTROL_PLANE);
    assertThat(call(tls, port).getCode()).isEqualTo(Status.Code.OK);
    assertThat(clientIdentity.get()).isEqualTo("spiffe://cluster.local/ns/shop/sa/web");
  }

  @Test
  void refusesAServerWithAnotherSpiffeIdEvenUnderTheMeshRoot() throws Exception {
    int port = serve("spiffe://cluster.local/ns/shop/sa/impostor");
    XdsTls tls = new XdsTls();
    tls.update(issue());
    assertThat(call(tls, port).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(clientIdentity.get()).isNull();
  }

  @Test
  void refusesAServerUnderAnotherRootEvenWithTheRightSpiffeId() throws Exception {
    try (TestCa other = new TestCa("t")) {
      int port = serve(other, CONTROL_PLANE);
      XdsTls tls = new XdsTls();
      tls.update(issue());
      assertThat(call(tls, port).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    }
  }

  @Test
  void withoutACertificateItDoesNotCompleteAHandshake() throws Exception {
    int port = serve(CONTROL_PLANE);
    assertThat(call(new XdsTls(), port).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(clientIdentity.get()).isNull();
  }

  @Test
  void aRenewedCertificateIsPresentedOnTheNextConnection() throws Exception {
    int port = serve(CONTROL_PLANE);
    XdsTls tls = new XdsTls();
    WorkloadIdentity.Issued first = issue();
    tls.update(first);
    WorkloadIdentity.Issued second = issue();
    assertThat(tls.update(second)).isFalse();
    AtomicReference<X509Certificate> seen = new AtomicReference<>();
    seenLeaf = seen;
    assertThat(call(tls, port).getCode()).isEqualTo(Status.Code.OK);
    assertThat(seen.get()).isEqualTo(second.chain().getFirst());
  }

  private volatile AtomicReference<X509Certificate> seenLeaf;

  /** A certificate from the test CA, obtained as the proxy does (token + CSR). */
  private WorkloadIdentity.Issued issue() throws Exception {
    AtomicReference<WorkloadIdentity.Issued> got = new AtomicReference<>();
    try (WorkloadIdentity id = new WorkloadIdentity(ca.address(), "t", s -> {},
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(200)))) {
      id.onIssued(got::set);
      id.start();
      await().atMost(Duration.ofSeconds(10)).until(() -> got.get() != null);
    }
    return got.get();
  }

  private int serve(String spiffeId) throws Exception {
    return serve(ca, spiffeId);
  }

  /** An AccessLogService over mTLS with a certificate for {@code spiffeId} from {@code issuer}. */
  private int serve(TestCa issuer, String spiffeId) throws Exception {
    KeyPair key = TestCa.ecKey();
    X509Certificate cert = issuer.sign(new X500Name("O=weft"), key.getPublic(), Duration.ofHours(1), spiffeId);
    ServerInterceptor peer = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata h, ServerCallHandler<Q, R> next) {
        SSLSession s = call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION);
        try {
          X509Certificate leaf = (X509Certificate) s.getPeerCertificates()[0];
          if (seenLeaf != null) {
            seenLeaf.set(leaf);
          }
          clientIdentity.set(weft.proxy.tls.PeerIdentity.spiffeId(leaf));
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
          throw new AssertionError(e);
        }
        return next.startCall(call, h);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(key.getPrivate(), cert, issuer.root))
            .trustManager(ca.root).clientAuth(ClientAuth.REQUIRE).build())
        .addService(ServerInterceptors.intercept(new AccessLogServiceGrpc.AccessLogServiceImplBase() {
          @Override
          public StreamObserver<StreamAccessLogsMessage> streamAccessLogs(StreamObserver<StreamAccessLogsResponse> out) {
            return new StreamObserver<>() {
              @Override public void onNext(StreamAccessLogsMessage m) {}
              @Override public void onError(Throwable t) {}
              @Override public void onCompleted() {
                out.onNext(StreamAccessLogsResponse.getDefaultInstance());
                out.onCompleted();
              }
            };
          }
        }, peer))
        .build().start();
    return server.getPort();
  }

  /** One access log stream through a channel with {@code tls}: how it ended. */
  private static Status call(XdsTls tls, int port) throws Exception {
    ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", port).sslContext(tls.sslContext()).build();
    try {
      CompletableFuture<Status> done = new CompletableFuture<>();
      StreamObserver<StreamAccessLogsMessage> out = AccessLogServiceGrpc.newStub(ch).streamAccessLogs(new StreamObserver<>() {
        @Override public void onNext(StreamAccessLogsResponse r) {}
        @Override public void onError(Throwable t) { done.complete(Status.fromThrowable(t)); }
        @Override public void onCompleted() { done.complete(Status.OK); }
      });
      out.onNext(StreamAccessLogsMessage.newBuilder().setIdentifier(StreamAccessLogsMessage.Identifier.newBuilder()
          .setNode(Node.newBuilder().setId("shop/web")).setLogName("x")).build());
      out.onCompleted();
      return done.get(10, TimeUnit.SECONDS);
    } finally {
      ch.shutdownNow();
    }
  }
}
