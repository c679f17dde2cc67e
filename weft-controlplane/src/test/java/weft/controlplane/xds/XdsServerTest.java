package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Status;
import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class XdsServerTest {
  private static final String CDS = Resources.V3.CLUSTER_TYPE_URL;
  private static final String LDS = Resources.V3.LISTENER_TYPE_URL;

  private XdsServer server;

  @BeforeEach
  void start() throws Exception {
    // counting from 0 keeps the expected versions readable
    server = XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry(), 0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sotwRequestIsAnsweredWithTheNodesClustersAndVersion() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("c1", "c2"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DiscoveryResponse r = a.next();
      assertThat(r.getTypeUrl()).isEqualTo(CDS);
      assertThat(r.getVersionInfo()).isEqualTo("1");
      assertThat(clusterNames(r)).containsExactlyInAnyOrder("c1", "c2");
    }
  }

  @Test
  void acksAndNacksAreRecordedAndANackDoesNotStopOtherProxies() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("c1"), List.of()),
        "ns/b", snapshot(List.of("b1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a");
        AdsTestClient b = new AdsTestClient(server.port(), "ns/b")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      b.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DiscoveryResponse first = a.next();
      DiscoveryResponse firstB = b.next();
      a.sotw(ack(first));
      b.sotw(ack(firstB));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().inSync());
      assertThat(server.statuses().get("ns/a").orElseThrow().ackedVersions())
          .containsEntry(CDS, "1");

      server.publish(Map.of("ns/a", snapshot(List.of("c1", "bad"), List.of()),
          "ns/b", snapshot(List.of("b1"), List.of())));
      DiscoveryResponse second = a.next();
      assertThat(second.getVersionInfo()).isEqualTo("2");
      a.sotw(ack(second).setVersionInfo("1")
          .setErrorDetail(Status.newBuilder().setCode(3).setMessage("cluster bad: no endpoints")));

      await().until(() -> server.statuses().get("ns/a").orElseThrow().lastNack().isPresent());
      ProxyStatus status = server.statuses().get("ns/a").orElseThrow();
      assertThat(status.lastNack().orElseThrow())
          .extracting(ProxyStatus.Nack::typeUrl, ProxyStatus.Nack::version, ProxyStatus.Nack::message)
          .containsExactly(CDS, "2", "cluster bad: no endpoints");
      assertThat(status.ackedVersions()).containsEntry(CDS, "1");
      assertThat(status.ackedVersion()).isEqualTo(1);
      assertThat(status.inSync()).isFalse();

      // b keeps receiving updates
      server.publish(Map.of("ns/a", snapshot(List.of("c1", "bad"), List.of()),
          "ns/b", snapshot(List.of("b1", "b2"), List.of())));
      DiscoveryResponse bUpdate = b.next();
      assertThat(bUpdate.getVersionInfo()).isEqualTo("3");
      assertThat(clusterNames(bUpdate)).containsExactlyInAnyOrder("b1", "b2");

      // a is not sent the version it rejected again (a NACK loop): its next response is the fix
      server.publish(Map.of("ns/a", snapshot(List.of("c1", "fixed"), List.of()),
          "ns/b", snapshot(List.of("b1", "b2"), List.of())));
      DiscoveryResponse fix = a.next();
      assertThat(fix.getVersionInfo()).isEqualTo("4");
      assertThat(clusterNames(fix)).containsExactlyInAnyOrder("c1", "fixed");
      a.sotw(ack(fix));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().inSync());
    }
  }

  @Test
  void republishingIdenticalContentPushesNothingAndUnchangedTypesKeepTheirVersion()
      throws Exception {
    Map<String, ProxySnapshot> v1 = Map.of("ns/a", snapshot(List.of("c1"), List.of("l1")));
    server.publish(v1);
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      a.sotw(ack(a.next()));
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(LDS));
      a.sotw(ack(a.next()));

      server.publish(Map.of("ns/a", snapshot(List.of("c1"), List.of("l1")))); // equal content
      assertThat(server.version()).isEqualTo(1);
      server.publish(Map.of("ns/a", snapshot(List.of("c1"), List.of("l1", "l2"))));
      assertThat(server.version()).isEqualTo(2);

      // the stream is ordered: had anything been pushed before, it would come first
      DiscoveryResponse next = a.next();
      assertThat(next.getTypeUrl()).as("only listeners changed").isEqualTo(LDS);
      assertThat(next.getVersionInfo()).isEqualTo("2");
      a.sotw(ack(next));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().inSync());
      assertThat(server.statuses().get("ns/a").orElseThrow().ackedVersions())
          .containsExactlyInAnyOrderEntriesOf(Map.of(CDS, "1", LDS, "2"));
      assertThat(server.servedVersions("ns/a").orElseThrow())
          .containsEntry(CDS, "1").containsEntry(LDS, "2");
    }
  }

  @Test
  void aChangeForOneNodeIsNotPushedToAnother() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of()),
        "ns/b", snapshot(List.of("b1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a");
        AdsTestClient b = new AdsTestClient(server.port(), "ns/b")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      b.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DiscoveryResponse aFirst = a.next();
      assertThat(clusterNames(aFirst)).containsExactly("a1");
      a.sotw(ack(aFirst));
      DiscoveryResponse bFirst = b.next();
      assertThat(clusterNames(bFirst)).containsExactly("b1");
      b.sotw(ack(bFirst));

      server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of()),
          "ns/b", snapshot(List.of("b2"), List.of())));
      server.publish(Map.of("ns/a", snapshot(List.of("a2"), List.of()),
          "ns/b", snapshot(List.of("b2"), List.of())));
      DiscoveryResponse aNext = a.next();
      assertThat(aNext.getVersionInfo()).as("a skipped b's version 2").isEqualTo("3");
      assertThat(clusterNames(aNext)).containsExactly("a2");
      assertThat(clusterNames(b.next())).containsExactly("b2");
    }
  }

  @Test
  void deltaSubscriptionReceivesOnlyChangedAndRemovedResources() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("c1", "c2", "c3"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DeltaDiscoveryResponse first = a.nextDelta();
      assertThat(first.getResourcesList()).extracting(Resource::getName)
          .containsExactlyInAnyOrder("c1", "c2", "c3");
      a.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)
          .setResponseNonce(first.getNonce()));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().inSync());

      Cluster c2changed = cluster("c2").toBuilder().setAltStatName("changed").build();
      server.publish(Map.of("ns/a", ProxySnapshot.of(List.of(),
          List.of(), List.of(cluster("c1"), c2changed, cluster("c4")), List.of(), List.of())));
      DeltaDiscoveryResponse second = a.nextDelta();
      assertThat(second.getResourcesList()).extracting(Resource::getName)
          .containsExactlyInAnyOrder("c2", "c4");
      assertThat(second.getRemovedResourcesList()).containsExactly("c3");
      assertThat(second.getResources(0).getResource().unpack(Cluster.class).getName())
          .isIn("c2", "c4");
      a.delta(DeltaDiscoveryRequest.newBuilder().setTypeUrl(CDS)
          .setResponseNonce(second.getNonce()));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().ackedVersions()
          .equals(Map.of(CDS, "2")));
    }
  }

  @Test
  void anUnknownNodeGetsTheDefaultSnapshotUntilItsOwnIsPublished() throws Exception {
    server.setDefaultSnapshot(snapshot(List.of("default"), List.of()));
    server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of())));
    try (AdsTestClient g = new AdsTestClient(server.port(), "grpc-client-7")) {
      g.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      DiscoveryResponse r = g.next();
      assertThat(clusterNames(r)).containsExactly("default");
      assertThat(server.servedTo("grpc-client-7").orElseThrow().clusters())
          .extracting(Cluster::getName).containsExactly("default");
      g.sotw(ack(r));

      server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of()),
          "grpc-client-7", snapshot(List.of("own"), List.of())));
      assertThat(clusterNames(g.next())).containsExactly("own");
    }
  }

  @Test
  void aProxyConnectingBeforeTheFirstPublishWaitsForItInsteadOfGettingAnEmptyConfig() throws Exception {
    // a proxy reconnecting to a restarted control plane must not be told "no clusters, no listeners"
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a");
        AdsTestClient g = new AdsTestClient(server.port(), "grpc-client-1")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      g.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      await().until(() -> server.statuses().get("ns/a").isPresent() && server.statuses().get("grpc-client-1").isPresent());
      assertThat(server.servedTo("ns/a")).isEmpty();
      server.setDefaultSnapshot(snapshot(List.of("default"), List.of()));
      server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of())));
      assertThat(clusterNames(a.next())).containsExactly("a1");
      assertThat(clusterNames(g.next())).containsExactly("default");
    }
  }

  @Test
  void requestsWithoutANodeAfterTheFirstStayWithTheStreamsNode() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      a.sotwWithoutNode(ack(a.next()));
      server.publish(Map.of("ns/a", snapshot(List.of("a2"), List.of())));
      DiscoveryResponse r = a.next();
      assertThat(clusterNames(r)).containsExactly("a2");
      a.sotwWithoutNode(ack(r));
      await().until(() -> server.statuses().get("ns/a").orElseThrow().ackedVersions()
          .equals(Map.of(CDS, "2")));
    }
  }

  @Test
  void aRestartedServerCountsOnFromAboveTheVersionsItServedBefore() throws Exception {
    long before;
    try (XdsServer first =
        XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry())) {
      for (int i = 0; i < 100; i++) {
        first.publish(Map.of("ns/a", snapshot(List.of("c" + i), List.of())));
      }
      before = first.version();
    }
    try (XdsServer restarted =
        XdsServer.start(new InetSocketAddress("127.0.0.1", 0), new ProxyStatusRegistry())) {
      restarted.publish(Map.of("ns/a", snapshot(List.of("c0"), List.of())));
      assertThat(restarted.version()).isGreaterThan(before);
    }
  }

  @Test
  void connectAndDisconnectAreRecorded() throws Exception {
    server.publish(Map.of("ns/a", snapshot(List.of("a1"), List.of())));
    try (AdsTestClient a = new AdsTestClient(server.port(), "ns/a")) {
      a.sotw(DiscoveryRequest.newBuilder().setTypeUrl(CDS));
      a.next();
      ProxyStatus connected = server.statuses().get("ns/a").orElseThrow();
      assertThat(connected.connected()).isTrue();
      assertThat(connected.disconnectedAt()).isEmpty();

      a.disconnect();
      await().until(() -> !server.statuses().get("ns/a").orElseThrow().connected());
      assertThat(server.statuses().get("ns/a").orElseThrow().disconnectedAt()).isPresent();
    }
  }

  private static DiscoveryRequest.Builder ack(DiscoveryResponse r) {
    return DiscoveryRequest.newBuilder().setTypeUrl(r.getTypeUrl())
        .setVersionInfo(r.getVersionInfo()).setResponseNonce(r.getNonce());
  }

  static ProxySnapshot snapshot(List<String> clusters, List<String> listeners) {
    return ProxySnapshot.of(
        listeners.stream().map(n -> Listener.newBuilder().setName(n).build()).toList(),
        List.of(),
        clusters.stream().map(XdsServerTest::cluster).toList(),
        List.of(),
        List.of());
  }

  static Cluster cluster(String name) {
    return Cluster.newBuilder().setName(name).setType(Cluster.DiscoveryType.STATIC).build();
  }

  private static List<String> clusterNames(DiscoveryResponse r) {
    return r.getResourcesList().stream().map(any -> {
      try {
        return any.unpack(Cluster.class).getName();
      } catch (InvalidProtocolBufferException e) {
        throw new AssertionError(e);
      }
    }).toList();
  }
}
