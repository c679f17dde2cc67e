package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.cluster.v3.ClusterDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Delta NACKs and the non-aggregated per-type services. */
@Timeout(30)
class XdsServerStreamsTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private XdsServer server;

  @BeforeEach
  void start() throws Exception {
    server = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void aDeltaNackIsRecordedWithTheRejectedVersionAndLaterUpdatesStillFlow() throws Exception {
    server.publish(Map.of("ns/a", XdsServerTest.snapshot(List.of("c1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DeltaDiscoveryResponse first = a.nextDelta();
      a.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)
          .setResponseNonce(first.getNonce())
          .setErrorDetail(Status.newBuilder().setCode(3).setMessage("cluster c1: bad lb policy")));

      await().until(() -> server.statuses().get("ns/a").orElseThrow().lastNack().isPresent());
      ProxyStatus.Nack nack = server.statuses().get("ns/a").orElseThrow().lastNack().orElseThrow();
      assertThat(nack.version()).isEqualTo("1");
      assertThat(nack.message()).isEqualTo("cluster c1: bad lb policy");

      server.publish(Map.of("ns/a", XdsServerTest.snapshot(List.of("c2"), List.of())));
      DeltaDiscoveryResponse fixed = a.nextDelta();
      assertThat(fixed.getResourcesList()).extracting(Resource::getName).containsExactly("c2");
      // the proxy rejected c1, so it never held it: nothing to remove
      assertThat(fixed.getRemovedResourcesList()).isEmpty();
    }
  }

  @Test
  void anUnknownNodeOnADeltaStreamGetsTheDefaultSnapshot() throws Exception {
    server.setDefaultSnapshot(XdsServerTest.snapshot(List.of("default"), List.of()));
    server.publish(Map.of()); // nothing is served before the first publish
    try (AdsTestClient g = new AdsTestClient(server.port(), "grpc-delta-client")) {
      g.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS));
      assertThat(g.nextDelta().getResourcesList()).extracting(Resource::getName)
          .containsExactly("default");
    }
  }

  @Test
  void aNodeDroppedFromThePublishedMapFallsBackToTheDefaultOrIsForgottenWhenGone()
      throws Exception {
    server.setDefaultSnapshot(XdsServerTest.snapshot(List.of("default"), List.of()));
    server.publish(Map.of("ns/a", XdsServerTest.snapshot(List.of("a1"), List.of()),
        "ns/gone", XdsServerTest.snapshot(List.of("g1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DiscoveryResponse first = a.next();
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS).setVersionInfo(first.getVersionInfo())
          .setResponseNonce(first.getNonce()));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().inSync());

      server.publish(Map.of());
      assertThat(a.next().getResourcesList()).hasSize(1);
      assertThat(server.servedTo("ns/a").orElseThrow().clusters())
          .extracting(io.envoyproxy.envoy.config.cluster.v3.Cluster::getName)
          .containsExactly("default");
      assertThat(server.servedTo("ns/gone")).as("never connected, no longer published").isEmpty();
    }
  }

  @Test
  void thePerTypeClusterServiceServesTheSameSnapshot() throws Exception {
    server.publish(Map.of("ns/a", XdsServerTest.snapshot(List.of("c1", "c2"), List.of())));
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    try {
      BlockingQueue<DiscoveryResponse> responses = new LinkedBlockingQueue<>();
      StreamObserver<DiscoveryRequest> requests = ClusterDiscoveryServiceGrpc.newStub(channel)
          .streamClusters(new StreamObserver<>() {
            @Override
            public void onNext(DiscoveryResponse value) {
              responses.add(value);
            }

            @Override
            public void onError(Throwable t) {}

            @Override
            public void onCompleted() {}
          });
      // the per-type service knows its type: the request may leave type_url out
      requests.onNext(DiscoveryRequest.newBuilder()
          .setNode(Node.newBuilder().setId("ns/a")).build());
      DiscoveryResponse r = responses.poll(10, TimeUnit.SECONDS);
      assertThat(r).isNotNull();
      assertThat(r.getVersionInfo()).isEqualTo("1");
      assertThat(r.getResourcesCount()).isEqualTo(2);
      requests.onCompleted();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
