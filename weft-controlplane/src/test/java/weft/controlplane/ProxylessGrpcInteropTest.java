package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.xds.XdsNameResolverProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.xds.ProxyStatus;

/**
 * grpc-java's xDS client against the translator's real proxyless output: a {@link ControlPlane}
 * reads a config dir (workloads, a Service, a DestinationRule with subsets and traffic policy, a
 * VirtualService with a header route), and an {@code xds:///} channel resolves the service through
 * it (LDS API listener -> RDS -> CDS -> EDS), ACKs every type, and calls real gRPC servers along
 * the VirtualService's routes.
 *
 * <p>The channel gets its bootstrap through {@link XdsNameResolverProvider#createForTest}, not the
 * JVM-wide {@code io.grpc.xds.bootstrapConfig} that {@code GrpcXdsInteropTest} sets: grpc-xds keys
 * its xDS clients by target, so the two never share one.
 */
// generous: the first resolution loads grpc-xds and starts a control plane (CA included)
@Timeout(90)
class ProxylessGrpcInteropTest {
  private static final String NODE = "proxyless-interop-client";
  private static final MethodDescriptor<byte[], byte[]> WHO = WhoService.WHO;

  @TempDir Path tmp;
  private final List<Server> servers = new ArrayList<>();
  private ControlPlane cp;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    for (Server s : servers) {
      s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    if (cp != null) {
      cp.close();
    }
  }

  @Test
  void grpcJavaCallsThroughTheTranslatorsProxylessConfiguration() throws Exception {
    int v1 = backend("127.0.31.1", "v1");
    int v2 = backend("127.0.31.2", "v2");
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), workload("echo-v1", "v1", "127.0.31.1", v1)
        + "---\n" + workload("echo-v2", "v2", "127.0.31.2", v2) + """
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: echo, namespace: default}
        spec:
          selector: {app: echo}
          ports: [{name: grpc, port: 7070, targetPort: grpc, appProtocol: grpc}]
        ---
        apiVersion: networking.istio.io/v1
        kind: DestinationRule
        metadata: {name: echo, namespace: default}
        spec:
          host: echo
          trafficPolicy:
            # grpc-java NACKed the RANDOM cluster until Proxyless gave it ROUND_ROBIN
            loadBalancer: {simple: RANDOM}
            connectionPool: {tcp: {connectTimeout: 2s}, http: {http2MaxRequests: 100}}
            outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
          subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}, trafficPolicy: {loadBalancer: {simple: LEAST_REQUEST}}}
        ---
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: echo, namespace: default}
        spec:
          hosts: [echo]
          http:
          - match: [{headers: {x-canary: {exact: "yes"}}}]
            route: [{destination: {host: echo, subset: v2}}]
            timeout: 5s
            retries: {attempts: 2, retryOn: "unavailable,cancelled"}
          - route: [{destination: {host: echo, subset: v1}, weight: 100}, {destination: {host: echo, subset: v2}, weight: 0}]
        """);
    // proxyless clients use the plaintext xDS port (istiod's 15010): grpc-java's bootstrap
    // channel_creds "tls" needs certificate files and a newer grpc-xds than the one pinned here
    cp = ControlPlane.start(ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0)
        .withInsecureXdsPort(0));

    channel = NettyChannelBuilder.forTarget("xds:///echo.default.svc.cluster.local:7070")
        .nameResolverFactory(XdsNameResolverProvider.createForTest("xds", bootstrap(cp.insecureXdsPort().getAsInt())))
        .usePlaintext()
        .build();
    // leaving idle starts resolution: the client subscribes to LDS, RDS, CDS, EDS in turn
    channel.getState(true);
    await().atMost(Duration.ofSeconds(30)).until(() -> cp.proxies().get(NODE)
        .map(st -> st.lastNack().isPresent() || st.ackedVersions().size() == 4).orElse(false));
    ProxyStatus status = cp.proxies().get(NODE).orElseThrow();
    assertThat(status.lastNack()).as("grpc-java's NACK").isEmpty();
    assertThat(status.inSync()).isTrue();

    assertThat(answers(channel, 20, false)).containsOnlyKeys("v1");
    assertThat(answers(channel, 20, true)).containsOnlyKeys("v2");
  }

  private static Map<String, Integer> answers(ManagedChannel channel, int calls, boolean canary) {
    Metadata headers = new Metadata();
    if (canary) {
      headers.put(Metadata.Key.of("x-canary", Metadata.ASCII_STRING_MARSHALLER), "yes");
    }
    Map<String, Integer> out = new TreeMap<>();
    for (int i = 0; i < calls; i++) {
      byte[] who = ClientCalls.blockingUnaryCall(
          io.grpc.ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)), WHO,
          CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(30, TimeUnit.SECONDS), new byte[0]);
      out.merge(new String(who, StandardCharsets.UTF_8), 1, Integer::sum);
    }
    return out;
  }

  private static String workload(String name, String version, String address, int port) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %s, namespace: default, labels: {app: echo, version: %s}}
        spec:
          serviceAccount: echo
          addresses: [%s]
          ports: [{name: grpc, port: %d, appProtocol: grpc}]
        """.formatted(name, version, address, port);
  }

  /** grpc-xds's bootstrap, as parsed JSON: weft's xDS server, plaintext, this test's node id. */
  private static Map<String, ?> bootstrap(int xdsPort) {
    return Map.of(
        "xds_servers", List.of(Map.of(
            "server_uri", "127.0.0.1:" + xdsPort,
            "channel_creds", List.of(Map.of("type", "insecure")),
            "server_features", List.of("xds_v3"))),
        "node", Map.of("id", NODE, "cluster", "interop"));
  }

  /** A gRPC server on {@code address}, port 0, answering {@code name}; returns its port. */
  private int backend(String address, String name) throws IOException {
    Server s = WhoService.start(address, name);
    servers.add(s);
    return s.getPort();
  }

}
