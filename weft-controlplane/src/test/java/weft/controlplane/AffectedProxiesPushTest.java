package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.xds.ProxyStatus;

/**
 * What a change pushes, counted as the responses each proxy's ADS stream receives per type: an
 * added endpoint reaches only the proxies that import its service, and only as EDS; a policy edit
 * only the proxies it selects. Namespace {@code a} has no Sidecar (its proxies import everything);
 * {@code b}'s Sidecar imports {@code ./*} only.
 */
@Timeout(60)
class AffectedProxiesPushTest {
  @TempDir Path tmp;

  static String workload(String ns, String name, String app, String address) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %s, namespace: %s, labels: {app: %s}}
        spec: {serviceAccount: %3$s, addresses: [%s], ports: [{name: http, port: 8080}]}
        """.formatted(name, ns, app, address);
  }

  static String service(String ns, String name, String app) {
    return """
        apiVersion: v1
        kind: Service
        metadata: {name: %s, namespace: %s}
        spec: {selector: {app: %s}, ports: [{name: http, port: 80, targetPort: http}]}
        """.formatted(name, ns, app);
  }

  static String authz(String app, String path) {
    return """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: p, namespace: a}
        spec: {selector: {matchLabels: {app: %s}}, rules: [{to: [{operation: {paths: [%s]}}]}]}
        """.formatted(app, path);
  }

  @Test
  void anEndpointReachesOnlyTheImportingProxiesAsEdsAndAPolicyOnlyTheSelectedOnes() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("mesh.yaml"), String.join("---\n",
        workload("a", "a1", "a1", "10.0.0.1"), workload("a", "a2", "a2", "10.0.0.2"), workload("b", "b1", "b1", "10.0.0.3"),
        service("a", "svc-a", "a1"), service("b", "svc-b", "b1"), """
        apiVersion: networking.istio.io/v1
        kind: Sidecar
        metadata: {name: default, namespace: b}
        spec: {egress: [{hosts: ["./*"]}]}
        """));
    Files.writeString(config.resolve("policy.yaml"), authz("a1", "/v1"));
    try (ControlPlane cp = ControlPlane.start(
        // counting pushes needs no identity: simulated SotW sidecars on the plaintext port
        ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0).withInsecureXdsPort(0));
        Proxies proxies = new Proxies(cp.insecureXdsPort().getAsInt(), List.of("a/a1", "a/a2", "b/b1"))) {
      awaitInSync(cp, proxies, 3);
      Map<String, Map<String, Integer>> synced = proxies.counts();

      // a replica of a1: one more endpoint of svc-a, which a1 and a2 import and b1 does not
      Files.writeString(config.resolve("replica.yaml"), workload("a", "a3", "a1", "10.0.0.4"));
      await().atMost(Duration.ofSeconds(20)).until(() -> pushed(synced, proxies.counts()).get("a/a2").get("EDS") == 1
          && pushed(synced, proxies.counts()).get("a/a1").get("EDS") == 1);
      awaitInSync(cp, proxies, 3);
      Map<String, Map<String, Integer>> added = proxies.counts();
      assertThat(pushed(synced, added)).isEqualTo(Map.of(
          "a/a1", counts(0, 1, 0, 0), "a/a2", counts(0, 1, 0, 0), "b/b1", counts(0, 0, 0, 0)));

      Files.writeString(config.resolve("policy.yaml"), authz("a2", "/v1"));
      // a1 loses its policy, a2 gains it: both selected before or after, b1 neither
      await().atMost(Duration.ofSeconds(20)).until(() -> pushed(added, proxies.counts()).get("a/a2").get("LDS") == 1
          && pushed(added, proxies.counts()).get("a/a1").get("LDS") == 1);
      awaitInSync(cp, proxies, 3);
      assertThat(pushed(added, proxies.counts())).isEqualTo(Map.of(
          "a/a1", counts(0, 0, 1, 0), "a/a2", counts(0, 0, 1, 0), "b/b1", counts(0, 0, 0, 0)));
    }
  }

  private static Map<String, Integer> counts(int cds, int eds, int lds, int rds) {
    return Map.of("CDS", cds, "EDS", eds, "LDS", lds, "RDS", rds);
  }

  private static Map<String, Map<String, Integer>> pushed(Map<String, Map<String, Integer>> before,
      Map<String, Map<String, Integer>> after) {
    Map<String, Map<String, Integer>> out = new TreeMap<>();
    after.forEach((node, types) -> {
      Map<String, Integer> d = new TreeMap<>();
      types.forEach((t, n) -> d.put(t, n - before.get(node).get(t)));
      out.put(node, d);
    });
    return out;
  }

  /** Every proxy connected, subscribed to all four types, and has ACKed all it was sent. */
  private static void awaitInSync(ControlPlane cp, Proxies proxies, int n) {
    await().atMost(Duration.ofSeconds(20)).until(() -> {
      List<ProxyStatus> all = cp.proxies().all();
      return all.size() == n && all.stream().allMatch(s -> s.inSync() && s.ackedVersions().size() == 4)
          && proxies.counts().values().stream().allMatch(c -> c.values().stream().allMatch(x -> x > 0));
    });
  }

  /**
   * SotW ADS clients subscribing as weft's proxy does: CDS, LDS, RDS {@code outbound}, then EDS for
   * the EDS clusters CDS names; every response ACKed at once and counted per type.
   */
  static final class Proxies implements AutoCloseable {
    private final ManagedChannel channel;
    private final Map<String, Map<String, Integer>> counts = new ConcurrentHashMap<>();
    private final List<StreamObserver<DiscoveryRequest>> streams = new ArrayList<>();

    Proxies(int port, List<String> nodes) {
      channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().maxInboundMessageSize(16 << 20).build();
      for (String id : nodes) {
        Map<String, Integer> c = new ConcurrentHashMap<>();
        for (String t : List.of("CDS", "EDS", "LDS", "RDS")) {
          c.put(t, 0);
        }
        counts.put(id, c);
        connect(id, c);
      }
    }

    Map<String, Map<String, Integer>> counts() {
      Map<String, Map<String, Integer>> out = new TreeMap<>();
      counts.forEach((k, v) -> out.put(k, new TreeMap<>(v)));
      return out;
    }

    private void connect(String id, Map<String, Integer> count) {
      Node node = Node.newBuilder().setId(id).build();
      Object lock = new Object();
      List<StreamObserver<DiscoveryRequest>> out = new ArrayList<>(1);
      out.add(AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new StreamObserver<>() {
        @Override
        public void onNext(DiscoveryResponse r) {
          count.merge(name(r.getTypeUrl()), 1, Integer::sum);
          synchronized (lock) {
            DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(r.getTypeUrl())
                .setVersionInfo(r.getVersionInfo()).setResponseNonce(r.getNonce());
            if (r.getTypeUrl().equals(Resources.V3.ROUTE_TYPE_URL)) {
              ack.addResourceNames("outbound");
            }
            out.getFirst().onNext(ack.build());
            if (r.getTypeUrl().equals(Resources.V3.CLUSTER_TYPE_URL)) {
              DiscoveryRequest.Builder eds = DiscoveryRequest.newBuilder().setNode(node)
                  .setTypeUrl(Resources.V3.ENDPOINT_TYPE_URL);
              for (var any : r.getResourcesList()) {
                try {
                  Cluster c = any.unpack(Cluster.class);
                  if (c.getType() == Cluster.DiscoveryType.EDS) {
                    eds.addResourceNames(c.getName());
                  }
                } catch (InvalidProtocolBufferException e) {
                  throw new IllegalStateException(e);
                }
              }
              if (!edsSubscribed.contains(id)) {
                edsSubscribed.add(id);
                out.getFirst().onNext(eds.build());
              }
            }
          }
        }

        @Override
        public void onError(Throwable t) {}

        @Override
        public void onCompleted() {}
      }));
      synchronized (lock) {
        out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(Resources.V3.CLUSTER_TYPE_URL).build());
        out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(Resources.V3.LISTENER_TYPE_URL).build());
        out.getFirst().onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(Resources.V3.ROUTE_TYPE_URL)
            .addResourceNames("outbound").build());
      }
      streams.add(out.getFirst());
    }

    private final java.util.Set<String> edsSubscribed = ConcurrentHashMap.newKeySet();

    private static String name(String typeUrl) {
      return switch (typeUrl) {
        case Resources.V3.CLUSTER_TYPE_URL -> "CDS";
        case Resources.V3.ENDPOINT_TYPE_URL -> "EDS";
        case Resources.V3.LISTENER_TYPE_URL -> "LDS";
        case Resources.V3.ROUTE_TYPE_URL -> "RDS";
        default -> "other";
      };
    }

    @Override
    public void close() throws InterruptedException {
      for (StreamObserver<DiscoveryRequest> s : streams) {
        s.onCompleted();
      }
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
