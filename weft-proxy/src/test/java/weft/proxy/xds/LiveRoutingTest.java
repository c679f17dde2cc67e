package weft.proxy.xds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.xds.TestAds.edsCluster;
import static weft.proxy.xds.TestAds.endpoints;
import static weft.proxy.xds.TestAds.httpListener;
import static weft.proxy.xds.TestAds.routeTo;

import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.observe.StatsStore;

/**
 * RDS and EDS updates reach established connections without a listener rebuild, as in Envoy: an
 * RDS update applies to the next stream of an existing connection; an EDS update changes only the
 * cluster's hosts, and pooled connections to hosts that stay are kept.
 */
@Timeout(60)
class LiveRoutingTest {
  private HttpPeers.CountingBackend one;
  private HttpPeers.CountingBackend two;
  private TestAds cp;
  private XdsRuntime runtime;
  private AdsClient client;

  @BeforeEach
  void start() throws Exception {
    one = new HttpPeers.CountingBackend("one");
    two = new HttpPeers.CountingBackend("two");
    cp = new TestAds(0);
    runtime = new XdsRuntime(AdsClient.node(TestAds.NODE), 1, new StatsStore(), Duration.ofSeconds(5));
    client = new AdsClient("127.0.0.1", cp.port(), runtime,
        new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)));
  }

  @AfterEach
  void stop() throws Exception {
    client.close();
    runtime.close();
    cp.close();
    one.close();
    two.close();
  }

  private void serve(String version, String routeTo, ClusterLoadAssignment a) {
    cp.set(version, List.of(edsCluster("a"), edsCluster("b")),
        List.of(a, endpoints("b", two.port())),
        List.of(httpListener("http", 0, "local")), List.of(routeTo("local", routeTo)), List.of());
  }

  private InetSocketAddress proxy() {
    await().atMost(10, TimeUnit.SECONDS).until(() -> runtime.listenerAddress("http") != null);
    return runtime.listenerAddress("http");
  }

  @Test
  void anRdsUpdateRoutesTheNextRequestOfAnEstablishedConnection() throws Exception {
    serve("1", "a", endpoints("a", one.port()));
    client.start();
    InetSocketAddress proxy = proxy();
    try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(10_000);
      assertThat(HttpPeers.exchange(s, "/")).isEqualTo("200 one");

      serve("2", "b", endpoints("a", one.port()));
      await().atMost(10, TimeUnit.SECONDS).until(() -> client.ackedVersion(AdsClient.RDS).equals("2"));

      // same connection, next request: the new route (the listener was neither replaced nor drained)
      assertThat(HttpPeers.exchange(s, "/")).isEqualTo("200 two");
      assertThat(HttpPeers.exchange(s, "/")).isEqualTo("200 two");
    }
    assertThat(runtime.drainingConnections()).isZero();
  }

  @Test
  void anEdsUpdateKeepsThePooledConnectionToTheHostThatStays() throws Exception {
    serve("1", "a", endpoints("a", one.port()));
    client.start();
    InetSocketAddress proxy = proxy();
    var cluster = runtime.current().clusters().get("a");
    try (Socket s = new Socket(proxy.getAddress(), proxy.getPort())) {
      s.setSoTimeout(10_000);
      for (int i = 0; i < 3; i++) {
        assertThat(HttpPeers.exchange(s, "/")).isEqualTo("200 one");
      }
      assertThat(one.accepted.get()).isEqualTo(1);

      // EDS adds a host: round robin now reaches both, the first host's connection is reused
      serve("2", "a", endpoints("a", one.port(), two.port()));
      await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.hosts().size() == 2);
      Set<String> seen = new HashSet<>();
      for (int i = 0; i < 6; i++) {
        seen.add(HttpPeers.exchange(s, "/"));
      }
      assertThat(seen).containsExactlyInAnyOrder("200 one", "200 two");

      // EDS removes it again
      serve("3", "a", endpoints("a", one.port()));
      await().atMost(10, TimeUnit.SECONDS).until(() -> cluster.hosts().size() == 1);
      for (int i = 0; i < 3; i++) {
        assertThat(HttpPeers.exchange(s, "/")).isEqualTo("200 one");
      }
    }
    assertThat(runtime.current().clusters().get("a")).isSameAs(cluster);
    assertThat(one.accepted.get()).as("upstream connections to the host that stayed").isEqualTo(1);
    assertThat(two.accepted.get()).isEqualTo(1);
  }
}
