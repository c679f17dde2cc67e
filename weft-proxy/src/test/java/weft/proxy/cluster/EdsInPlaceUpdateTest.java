package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.cluster;
import static weft.proxy.cluster.ClusterFixtures.staticCluster;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import weft.proxy.config.ConfigPath;
import weft.proxy.config.ConfigProblems;

/**
 * An xDS update that changes only a cluster's endpoints (EDS) keeps the cluster and the hosts that
 * stay, with their state (Envoy keeps a host across EDS updates while its address and attributes
 * are unchanged); any other change builds a new cluster.
 */
@Timeout(20)
class EdsInPlaceUpdateTest {
  @Test
  void anEndpointsOnlyChangeKeepsTheClusterAndTheHostsThatStay() {
    try (var built = ClusterFixtures.build()) {
      // as XdsRuntime builds them: every manager remembers the protos its clusters came from
      ClusterManager first = ClusterManager.create(
          List.of(cluster(staticCluster("c", "ROUND_ROBIN", "", 8001, 8002))),
          ConfigPath.of("clusters"), new ConfigProblems(), ctx(built), null);
      UpstreamCluster c = first.get("c");
      Host staying = c.hosts().get(1);
      c.controlLoop().submit(() -> staying.setFlag(Host.FAILED_OUTLIER_CHECK, true))
          .syncUninterruptibly();
      ClusterManager next = ClusterManager.create(
          List.of(cluster(staticCluster("c", "ROUND_ROBIN", "", 8002, 8003))),
          ConfigPath.of("clusters"), new ConfigProblems(), ctx(built), first);
      assertThat(next.get("c")).isSameAs(c);
      // nothing changes until the new config is started (applied): a rejected one leaves no trace
      assertThat(c.hosts()).hasSize(2).first().extracting(h -> h.address().getPort()).isEqualTo(8001);

      next.start();
      Awaitility.await().atMost(5, TimeUnit.SECONDS).until(
          () -> c.hosts().get(0).address().getPort() == 8002);
      assertThat(c.hosts()).hasSize(2);
      assertThat(c.hosts().get(0)).isSameAs(staying);
      assertThat(staying.failedOutlierCheck()).as("an ejected host stays ejected").isTrue();
      assertThat(c.hosts().get(1).address().getPort()).isEqualTo(8003);
      first.close();
    }
  }

  @Test
  void anyOtherChangeBuildsANewCluster() {
    try (var built = ClusterFixtures.build()) {
      ClusterManager first = ClusterManager.create(
          List.of(cluster(staticCluster("c", "ROUND_ROBIN", "", 8001))),
          ConfigPath.of("clusters"), new ConfigProblems(), ctx(built), null);
      ClusterManager next = ClusterManager.create(
          List.of(cluster(staticCluster("c", "LEAST_REQUEST", "", 8001, 8003))),
          ConfigPath.of("clusters"), new ConfigProblems(), ctx(built), first);
      assertThat(next.get("c")).isNotSameAs(first.get("c"));
      next.close();
      first.close();
    }
  }

  private static ClusterContext ctx(ClusterFixtures.Built built) {
    return new ClusterContext(built.group(), built.stats(), Ticker.system(),
        UpstreamTransportFactory.plaintextOnly());
  }
}
