package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.xds.TestAds.edsCluster;
import static weft.proxy.xds.TestAds.endpoints;

import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;
import weft.proxy.observe.StatsStore;

/**
 * What one endpoint added to one service of a 1000-service mesh costs the proxy in xDS traffic:
 * state of the world resends every assignment of the type, delta only the changed one. Counted
 * by the client (serialized response sizes, not gRPC framing); load does not distort it. The
 * numbers are logged by the test and quoted in docs/proxy-xds.md.
 */
@Timeout(120)
class DeltaVsSotwPayloadTest {
  private static final int SERVICES = 1000;

  @ParameterizedTest
  @EnumSource(AdsClient.Protocol.class)
  void oneEndpointAddedToA1000ServiceMesh(AdsClient.Protocol protocol) throws Exception {
    List<Cluster> clusters = new ArrayList<>();
    List<ClusterLoadAssignment> assignments = new ArrayList<>();
    for (int i = 0; i < SERVICES; i++) {
      clusters.add(edsCluster("svc-" + i));
      assignments.add(endpoints("svc-" + i, 10_000 + i));
    }
    try (TestAds cp = new TestAds(0);
        XdsRuntime runtime = new XdsRuntime(AdsClient.node(TestAds.NODE), 1, new StatsStore(),
            Duration.ofSeconds(1));
        AdsClient client = new AdsClient("127.0.0.1", cp.port(), runtime,
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), protocol)) {
      cp.cache.setSnapshot(TestAds.NODE, Snapshot.create(clusters, "1", assignments, "1",
          List.of(), "1", List.of(), "1", List.of(), "1"));
      client.start();
      // (no listeners: delta sends no LDS response when there is nothing to send, SotW an empty one)
      await().atMost(60, TimeUnit.SECONDS).until(() -> client.ackedVersion(AdsClient.EDS).equals("1")
          && runtime.ready() && (protocol == AdsClient.Protocol.DELTA
              || client.ackedVersion(AdsClient.LDS).equals("1")));
      long bytes = client.receivedBytes();
      long messages = client.receivedMessages();

      List<ClusterLoadAssignment> next = new ArrayList<>(assignments);
      next.set(7, endpoints("svc-7", 10_007, 20_007));
      cp.cache.setSnapshot(TestAds.NODE, Snapshot.create(clusters, "1", next, "2",
          List.of(), "1", List.of(), "1", List.of(), "1"));
      await().atMost(60, TimeUnit.SECONDS).until(() -> client.ackedVersion(AdsClient.EDS).equals("2"));
      await().atMost(10, TimeUnit.SECONDS).until(
          () -> runtime.current().clusters().get("svc-7").hosts().size() == 2);
      long updateBytes = client.receivedBytes() - bytes;
      long updateMessages = client.receivedMessages() - messages;
      LoggerFactory.getLogger(DeltaVsSotwPayloadTest.class).info(
          "{}: initial {} bytes in {} responses; one endpoint added: {} bytes in {} responses",
          protocol, bytes, messages, updateBytes, updateMessages);

      assertThat(updateMessages).isEqualTo(1);
      if (protocol == AdsClient.Protocol.DELTA) {
        // the one changed assignment (~100 bytes), not the mesh
        assertThat(updateBytes).isLessThan(300);
      } else {
        // every assignment again
        assertThat(updateBytes).isGreaterThan(SERVICES * 40L);
      }
    }
  }
}
