package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.xds.TestAds.edsCluster;
import static weft.proxy.xds.TestAds.endpoints;
import static weft.proxy.xds.TestAds.httpListener;
import static weft.proxy.xds.TestAds.routeTo;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Incremental ADS (Envoy's {@code DELTA_GRPC}) against java-control-plane's delta server: every
 * behaviour of the state-of-the-world client (inherited tests) plus what only delta has, from
 * Envoy's xDS protocol doc ("Incremental xDS"): per-resource versions, {@code removed_resources},
 * NACKs by nonce with {@code error_detail}, {@code initial_resource_versions} on a new stream.
 */
class DeltaAdsClientTest extends AdsClientTest {
  @Override
  AdsClient.Protocol protocol() {
    return AdsClient.Protocol.DELTA;
  }

  @Test
  void theFirstRequestSubscribesCdsAsWildcardAndTheOthersFollowByName() {
    serve("1", "a");
    client.start();
    proxy();
    DeltaDiscoveryRequest first = cp.deltaRequests.get(0);
    assertThat(first.getTypeUrl()).isEqualTo(AdsClient.CDS);
    assertThat(first.getResourceNamesSubscribeList()).isEmpty();
    assertThat(first.getNode().getId()).isEqualTo(TestAds.NODE);
    assertThat(cp.deltaRequests.stream().filter(r -> r.getTypeUrl().equals(AdsClient.EDS))
        .flatMap(r -> r.getResourceNamesSubscribeList().stream())).containsExactlyInAnyOrder("a", "b");
    assertThat(cp.deltaRequests.stream().filter(r -> r.getTypeUrl().equals(AdsClient.RDS))
        .flatMap(r -> r.getResourceNamesSubscribeList().stream())).containsExactly("local");
  }

  @Test
  void aRemovedResourceIsDroppedAndItsNameUnsubscribed() {
    cp.set("1", List.of(edsCluster("a"), edsCluster("b"), edsCluster("c")),
        List.of(endpoints("a", a.port()), endpoints("b", b.port()), endpoints("c", b.port())),
        List.of(httpListener("http", 0, "local")), List.of(routeTo("local", "a")), List.of());
    client.start();
    InetSocketAddress proxy = proxy();
    assertThat(runtime.current().clusters().get("c")).isNotNull();

    serve("2", "a");
    await().atMost(10, TimeUnit.SECONDS).until(() -> client.ackedVersion(AdsClient.CDS).equals("2"));
    assertThat(runtime.current().clusters().get("c")).isNull();
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");
    await().untilAsserted(() -> assertThat(cp.deltaRequests.stream()
        .filter(r -> r.getTypeUrl().equals(AdsClient.EDS))
        .flatMap(r -> r.getResourceNamesUnsubscribeList().stream())).contains("c"));
  }

  @Test
  void aNackCarriesTheResponseNonceAndTheProblemPathAndTheGoodResourcesStay() {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    await().until(() -> client.ackedVersion(AdsClient.CDS).equals("1"));

    Cluster bad = edsCluster("bad").toBuilder().setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();
    serve("2", "a", bad);
    await().atMost(10, TimeUnit.SECONDS).until(() -> cp.deltaRequests.stream()
        .anyMatch(DeltaDiscoveryRequest::hasErrorDetail));
    DeltaDiscoveryRequest nack = cp.deltaRequests.stream()
        .filter(DeltaDiscoveryRequest::hasErrorDetail).findFirst().orElseThrow();
    assertThat(nack.getTypeUrl()).isEqualTo(AdsClient.CDS);
    assertThat(nack.getResponseNonce()).isNotEmpty();
    assertThat(nack.getErrorDetail().getMessage()).startsWith("clusters[\"bad\"].lb_policy");
    assertThat(runtime.current().clusters().get("bad")).isNull();
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");

    // the next good version replaces it
    serve("3", "b");
    await().atMost(10, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 b"));
  }

  @Test
  void aNewStreamStatesTheVersionsOfTheResourcesItHolds() throws Exception {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    await().until(() -> client.ackedVersion(AdsClient.RDS).equals("1"));
    int port = cp.port();
    cp.close();
    await().atMost(10, TimeUnit.SECONDS).until(
        () -> runtime.stats().counter("control_plane.connected_state_lost").value() > 0);

    cp = new TestAds(port);
    serve("1", "a");
    await().atMost(15, TimeUnit.SECONDS).until(() -> cp.deltaRequests.stream()
        .anyMatch(r -> r.getTypeUrl().equals(AdsClient.RDS)));
    Map<String, DeltaDiscoveryRequest> firstOfType = new java.util.LinkedHashMap<>();
    cp.deltaRequests.forEach(r -> firstOfType.putIfAbsent(r.getTypeUrl(), r));
    assertThat(firstOfType.keySet()).containsExactly(
        AdsClient.CDS, AdsClient.EDS, AdsClient.LDS, AdsClient.RDS);
    assertThat(firstOfType.get(AdsClient.CDS).getInitialResourceVersionsMap()).containsOnlyKeys("a", "b");
    assertThat(firstOfType.get(AdsClient.EDS).getInitialResourceVersionsMap()).containsOnlyKeys("a", "b");
    assertThat(firstOfType.get(AdsClient.EDS).getResourceNamesSubscribeList())
        .containsExactly("a", "b");
    assertThat(firstOfType.get(AdsClient.LDS).getInitialResourceVersionsMap()).containsOnlyKeys("http");
    assertThat(firstOfType.get(AdsClient.RDS).getInitialResourceVersionsMap()).containsOnlyKeys("local");
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");
    List<String> versions = List.copyOf(firstOfType.get(AdsClient.CDS).getInitialResourceVersionsMap().values());
    assertThat(versions).allMatch(v -> !v.isEmpty());
  }
}
