package weft.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import com.google.rpc.Status;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.controlplane.translate.Translator;
import weft.controlplane.xds.ProxySnapshot;

@Timeout(60)
class ControlPlaneTest {
  @TempDir Path tmp;

  static String workload(String name, String address) {
    return """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: %s, namespace: default}
        spec: {addresses: [%s]}
        """.formatted(name, address);
  }

  /** One cluster per workload, named after its address; refuses a workload named "boom". */
  static final class AddressTranslator implements SnapshotTranslator {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public Translator.Translation translate(ResourceSet resources) {
      calls.incrementAndGet();
      Map<String, ProxySnapshot> out = new TreeMap<>();
      for (Workload w : resources.workloads()) {
        if (w.metadata().name().equals("boom")) {
          throw new IllegalStateException("cannot translate boom");
        }
        Cluster c = Cluster.newBuilder().setName(w.addresses().getFirst().getHostAddress()).build();
        out.put("default/" + w.metadata().name(), ProxySnapshot.of(List.of(), List.of(), List.of(c), List.of(), List.of()));
      }
      return new Translator.Translation(out, ProxySnapshot.empty(), List.of());
    }
  }

  private static Optional<String> served(ControlPlane cp, String node) {
    return cp.xds().servedTo(node).map(s -> s.clusters().getFirst().getName());
  }

  @Test
  void aFileChangeIsTranslatedAndPublished() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.2"));
    AddressTranslator translator = new AddressTranslator();
    try (ControlPlane cp = ControlPlane.start(
        ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0), Optional.of(translator))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> served(cp, "default/a").equals(Optional.of("127.0.0.2")));
      long version = cp.xds().version();

      Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.3"));
      await().atMost(Duration.ofSeconds(10)).until(() -> served(cp, "default/a").equals(Optional.of("127.0.0.3")));
      assertThat(cp.xds().version()).isGreaterThan(version);
      // every workload gets its proxy's bootstrap token file
      assertThat(tmp.resolve("data/tokens/workloads/default/a.token")).isRegularFile();
    }
  }

  @Test
  void aFailedTranslationKeepsWhatProxiesHaveAndTheNextChangeRecovers() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.2"));
    AddressTranslator translator = new AddressTranslator();
    try (ControlPlane cp = ControlPlane.start(
        ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0), Optional.of(translator))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> served(cp, "default/a").isPresent());
      int calls = translator.calls.get();
      Files.writeString(config.resolve("boom.yaml"), workload("boom", "127.0.0.9"));
      await().atMost(Duration.ofSeconds(10)).until(() -> translator.calls.get() > calls);
      assertThat(served(cp, "default/a")).contains("127.0.0.2");

      Files.delete(config.resolve("boom.yaml"));
      Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.4"));
      await().atMost(Duration.ofSeconds(10)).until(() -> served(cp, "default/a").equals(Optional.of("127.0.0.4")));
    }
  }

  @Test
  void theApiShowsProxiesAckedVersionsAndTheirLastNack() throws Exception {
    Path config = Files.createDirectories(tmp.resolve("config"));
    Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.2"));
    try (ControlPlane cp = ControlPlane.start(
        ControlPlaneOptions.defaults(Optional.of(config), tmp.resolve("data")).withPorts(0, 0).withInsecureXdsPort(0),
        Optional.of(new AddressTranslator()))) {
      await().atMost(Duration.ofSeconds(10)).until(() -> served(cp, "default/a").isPresent());
      ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.insecureXdsPort().getAsInt())
          .usePlaintext().build();
      BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
      StreamObserver<DiscoveryRequest> ads = AggregatedDiscoveryServiceGrpc.newStub(channel)
          .streamAggregatedResources(new StreamObserver<>() {
            @Override public void onNext(DiscoveryResponse r) {
              responses.add(r);
            }

            @Override public void onError(Throwable t) {}

            @Override public void onCompleted() {}
          });
      try {
        Node node = Node.newBuilder().setId("default/a").build();
        String cds = "type.googleapis.com/envoy.config.cluster.v3.Cluster";
        ads.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(cds).build());
        DiscoveryResponse first = responses.poll(10, TimeUnit.SECONDS);
        assertThat(first).isNotNull();
        ads.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(cds)
            .setVersionInfo(first.getVersionInfo()).setResponseNonce(first.getNonce()).build());
        HttpClient http = HttpClient.newHttpClient();
        URI proxies = URI.create("http://127.0.0.1:" + cp.apiPort() + "/api/v1/proxies");
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(proxies).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("\"configVersion\" : " + first.getVersionInfo()));

        Files.writeString(config.resolve("a.yaml"), workload("a", "127.0.0.3"));
        DiscoveryResponse second = responses.poll(10, TimeUnit.SECONDS);
        assertThat(second).isNotNull();
        ads.onNext(DiscoveryRequest.newBuilder().setNode(node).setTypeUrl(cds)
            .setVersionInfo(first.getVersionInfo()).setResponseNonce(second.getNonce())
            .setErrorDetail(Status.newBuilder().setMessage("cluster 127.0.0.3: not today")).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> http.send(HttpRequest.newBuilder(proxies).build(),
            HttpResponse.BodyHandlers.ofString()).body().contains("cluster 127.0.0.3: not today"));
        String status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cp.apiPort() + "/api/v1/status"))
            .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertThat(status).contains("\"rejecting\" : 1");
      } finally {
        ads.onCompleted();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
