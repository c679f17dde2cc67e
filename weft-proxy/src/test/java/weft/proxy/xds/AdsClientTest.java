package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.xds.TestAds.edsCluster;
import static weft.proxy.xds.TestAds.endpoints;
import static weft.proxy.xds.TestAds.httpListener;
import static weft.proxy.xds.TestAds.routeTo;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.observe.StatsStore;

/**
 * The ADS client against java-control-plane's server, with real traffic through the proxy, state
 * of the world here and incremental in {@link DeltaAdsClientTest} (same behaviour expected).
 */
@Timeout(60)
class AdsClientTest {
  HttpPeers.Backend a;
  HttpPeers.Backend b;
  TestAds cp;
  XdsRuntime runtime;
  AdsClient client;

  AdsClient.Protocol protocol() {
    return AdsClient.Protocol.SOTW;
  }


  @BeforeEach
  void start() throws Exception {
    a = new HttpPeers.Backend("a");
    b = new HttpPeers.Backend("b");
    cp = new TestAds(0);
    runtime = new XdsRuntime(AdsClient.node(TestAds.NODE), 1, new StatsStore(), Duration.ofSeconds(5));
    client = new AdsClient("127.0.0.1", cp.port(), runtime,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), protocol());
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    runtime.close();
    cp.close();
    a.close();
    b.close();
  }

  void serve(String version, String cluster, Cluster... extra) {
    List<Cluster> clusters = new java.util.ArrayList<>(List.of(edsCluster("a"), edsCluster("b")));
    clusters.addAll(List.of(extra));
    cp.set(version, clusters, List.of(endpoints("a", a.port()), endpoints("b", b.port())),
        List.of(httpListener("http", 0, "local")), List.of(routeTo("local", cluster)), List.of());
  }

  InetSocketAddress proxy() {
    await().atMost(10, TimeUnit.SECONDS).until(() -> runtime.listenerAddress("http") != null);
    return runtime.listenerAddress("http");
  }

  @Test
  void listenerRdsAndEdsClusterFromAdsServeTraffic() {
    serve("1", "a");
    client.start();
    assertThat(HttpPeers.get(proxy(), "/")).isEqualTo("200 a");
    assertThat(runtime.ready()).isTrue();
    await().untilAsserted(() -> {
      for (String t : List.of(AdsClient.CDS, AdsClient.EDS, AdsClient.LDS, AdsClient.RDS)) {
        assertThat(client.ackedVersion(t)).as(t).isEqualTo("1");
      }
    });
  }

  @Test
  void routeUpdateChangesTheAnswerWithoutDroppingAnInFlightSlowRequest() throws Exception {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");
    CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> HttpPeers.get(proxy, "/slow"),
        r -> Thread.ofPlatform().daemon().name("slow-client").start(r));
    assertThat(a.slowArrived.await(10, TimeUnit.SECONDS)).isTrue();

    serve("2", "b");
    await().atMost(10, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 b"));
    assertThat(slow).isNotDone();
    a.release.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo("200 a");
    assertThat(runtime.listenerAddress("http")).isEqualTo(proxy);
  }

  @Test
  void anInvalidClusterIsNackedWithItsPathAndTheLastGoodConfigKeepsServing() {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    await().until(() -> client.ackedVersion(AdsClient.CDS).equals("1"));

    Cluster bad = edsCluster("bad").toBuilder().setLbPolicy(Cluster.LbPolicy.CLUSTER_PROVIDED).build();
    serve("2", "a", bad);
    await().atMost(10, TimeUnit.SECONDS).until(() -> !client.lastNack().isEmpty());
    assertThat(client.lastNack()).startsWith("clusters[\"bad\"].lb_policy");
    assertThat(client.ackedVersion(AdsClient.CDS)).isEqualTo("1");
    assertThat(runtime.current().clusters().get("bad")).isNull();
    if (protocol() == AdsClient.Protocol.SOTW) {
      // state of the world per type: the other types of the same version are accepted (delta
      // sends nothing for them: their resources did not change)
      await().until(() -> client.ackedVersion(AdsClient.RDS).equals("2"));
    }
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");
    assertThat(runtime.stats().counter("xds.cds.update_rejected").value()).isPositive();
  }

  @Test
  void trafficFlowsWhileTheControlPlaneIsDownAndResyncsWhenItReturns() throws Exception {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");

    int port = cp.port();
    cp.close();
    await().atMost(10, TimeUnit.SECONDS).until(
        () -> runtime.stats().counter("control_plane.connected_state_lost").value() > 0);
    assertThat(HttpPeers.get(proxy, "/")).isEqualTo("200 a");

    cp = new TestAds(port);
    serve("7", "b");
    await().atMost(15, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 b"));
    await().until(() -> client.ackedVersion(AdsClient.RDS).equals("7"));
  }

  @Test
  void anUnchangedClusterIsTakenOverRunningAcrossUpdatesAndAChangedOneIsRebuilt() {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    var a1 = runtime.current().clusters().get("a");
    var b1 = runtime.current().clusters().get("b");

    serve("2", "b");
    await().atMost(10, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 b"));
    assertThat(runtime.current().clusters().get("a")).isSameAs(a1);
    assertThat(runtime.current().clusters().get("b")).isSameAs(b1);

    // EDS only: b is kept and its hosts are swapped in place (Envoy keeps the cluster)
    cp.set("3", List.of(edsCluster("a"), edsCluster("b")),
        List.of(endpoints("a", a.port()), endpoints("b", a.port())),
        List.of(httpListener("http", 0, "local")), List.of(routeTo("local", "b")), List.of());
    await().atMost(10, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 a"));
    assertThat(runtime.current().clusters().get("a")).isSameAs(a1);
    assertThat(runtime.current().clusters().get("b")).isSameAs(b1);

    // CDS: a changed cluster resource is rebuilt
    cp.set("4", List.of(edsCluster("a"), edsCluster("b").toBuilder()
            .setConnectTimeout(com.google.protobuf.Duration.newBuilder().setSeconds(2)).build()),
        List.of(endpoints("a", a.port()), endpoints("b", a.port())),
        List.of(httpListener("http", 0, "local")), List.of(routeTo("local", "b")), List.of());
    await().atMost(10, TimeUnit.SECONDS).until(() -> client.ackedVersion(AdsClient.CDS).equals("4"));
    assertThat(runtime.current().clusters().get("a")).isSameAs(a1);
    assertThat(runtime.current().clusters().get("b")).isNotSameAs(b1);
  }

  @Test
  void anIdleKeepAliveConnectionOfAChangedListenerIsDrainedSoItsClientReconnectsToTheNewOne()
      throws Exception {
    serve("1", "a");
    client.start();
    InetSocketAddress proxy = proxy();
    try (java.net.Socket s = new java.net.Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write("GET / HTTP/1.1\r\nhost: shop\r\n\r\n".getBytes());
      byte[] buf = new byte[4096];
      String first = "";
      while (!first.endsWith("\r\n\r\na")) {
        int n = s.getInputStream().read(buf);
        assertThat(n).isPositive();
        first += new String(buf, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
      }
      // LDS: the listener itself changes (not only its routes)
      cp.set("2", List.of(edsCluster("a"), edsCluster("b")),
          List.of(endpoints("a", a.port()), endpoints("b", b.port())),
          List.of(httpListener("http", 0, "local", "changed")), List.of(routeTo("local", "b")),
          List.of());
      // Envoy's listener drain: the idle connection is closed, not left on the old config
      assertThat(s.getInputStream().read(buf)).isEqualTo(-1);
    }
    // the route update is a separate response that may follow the listener's
    await().atMost(10, TimeUnit.SECONDS).until(() -> HttpPeers.get(proxy, "/").equals("200 b"));
  }
}
