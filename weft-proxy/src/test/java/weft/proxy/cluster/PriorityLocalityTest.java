package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static weft.proxy.cluster.ClusterFixtures.build;

import java.util.HashMap;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/**
 * Priorities and localities end to end through {@link UpstreamCluster#choose}, in the shape of
 * Envoy's locality-load-balancing example (our own ports and names).
 */
class PriorityLocalityTest {
  private static final String LOCALITIES =
      """
      {"name":"backend","type":"STATIC","lb_policy":"ROUND_ROBIN",
       "common_lb_config":{"locality_weighted_lb_config":{}},
       "load_assignment":{"cluster_name":"backend","endpoints":[
         {"locality":{"region":"east","zone":"a"},"load_balancing_weight":1,"priority":0,
          "lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"127.0.0.1","port_value":7001}}}}]},
         {"locality":{"region":"east","zone":"b"},"load_balancing_weight":1,"priority":1,
          "lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"127.0.0.1","port_value":7002}}}}]},
         {"locality":{"region":"west","zone":"a"},"load_balancing_weight":1,"priority":1,
          "lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"127.0.0.1","port_value":7003}}}}]},
         {"locality":{"region":"west","zone":"b"},"load_balancing_weight":1,"priority":2,
          "lb_endpoints":[{"endpoint":{"address":{"socket_address":{"address":"127.0.0.1","port_value":7004}}}}]}
       ]}}""";

  private static Map<Integer, Double> shares(UpstreamCluster c, int picks) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (int i = 0; i < picks; i++) {
      counts.merge(c.choose(LbContext.NONE).address().getPort(), 1, Integer::sum);
    }
    Map<Integer, Double> out = new HashMap<>();
    counts.forEach((k, v) -> out.put(k, v / (double) picks));
    return out;
  }

  private static void setHealthy(UpstreamCluster c, int port, boolean healthy) {
    c.controlLoop()
        .submit(
            () -> {
              for (Host h : c.hosts()) {
                if (h.address().getPort() == port) {
                  h.setFlag(Host.FAILED_ACTIVE_HC, !healthy);
                }
              }
              c.healthChanged();
            })
        .syncUninterruptibly();
  }

  @Test
  void trafficSpillsOverPrioritiesAndLocalitiesAsHostsFail() {
    try (var b = build(LOCALITIES)) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("backend");
      assertThat(shares(c, 100)).containsOnlyKeys(7001);

      // P0 empty of healthy hosts: P1's two localities split evenly
      setHealthy(c, 7001, false);
      Map<Integer, Double> s = shares(c, 1000);
      assertThat(s).containsOnlyKeys(7002, 7003);
      assertThat(s.get(7002)).isCloseTo(0.5, Offset.offset(0.01));

      // P1 half healthy -> health 70: P1 takes 70%, all of it in the healthy locality; P2 30%
      setHealthy(c, 7002, false);
      s = shares(c, 10_000);
      assertThat(s).containsOnlyKeys(7003, 7004);
      assertThat(s.get(7003)).isCloseTo(0.70, Offset.offset(0.03));

      setHealthy(c, 7001, true);
      setHealthy(c, 7002, true);
      assertThat(shares(c, 100)).containsOnlyKeys(7001);
    }
  }

  @Test
  void localityWeightsTimesAvailabilityDecideTheShares() {
    // locality_weight.rst: X weight 1, Y weight 2; X has 2 of 4 hosts healthy -> availability
    // min(1, 1.4 * 0.5) = 0.7, effective weights 0.7 and 2
    StringBuilder eps = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      eps.append(i == 0 ? "" : ",")
          .append("{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":")
          .append(8000 + i)
          .append("}}}}");
    }
    String json =
        "{\"name\":\"lw\",\"type\":\"STATIC\",\"common_lb_config\":{\"locality_weighted_lb_config\":{}},"
            + "\"load_assignment\":{\"cluster_name\":\"lw\",\"endpoints\":["
            + "{\"locality\":{\"zone\":\"x\"},\"load_balancing_weight\":1,\"lb_endpoints\":[" + eps + "]},"
            + "{\"locality\":{\"zone\":\"y\"},\"load_balancing_weight\":2,\"lb_endpoints\":["
            + "{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"127.0.0.1\",\"port_value\":9000}}}}]}]}}";
    try (var b = build(json)) {
      UpstreamCluster c = b.cluster("lw");
      setHealthy(c, 8000, false);
      setHealthy(c, 8001, false);
      Map<Integer, Double> s = shares(c, 27_000);
      double x = s.getOrDefault(8002, 0.0) + s.getOrDefault(8003, 0.0);
      assertThat(x).isCloseTo(0.7 / 2.7, Offset.offset(0.01));
      assertThat(s.get(9000)).isCloseTo(2 / 2.7, Offset.offset(0.01));
    }
  }

  @Test
  void panicRoutesToAllHostsOfALevelAndCountsLbHealthyPanic() {
    String json =
        ClusterFixtures.staticCluster("p", "ROUND_ROBIN", "", 1, 2, 3, 4);
    try (var b = build(json)) {
      UpstreamCluster c = b.cluster("p");
      setHealthy(c, 1, false);
      setHealthy(c, 2, false);
      setHealthy(c, 3, false);
      // 25% healthy < 50% panic threshold: all four hosts get traffic
      assertThat(shares(c, 400)).containsOnlyKeys(1, 2, 3, 4);
      assertThat(b.stats().counter("cluster.p.lb_healthy_panic").value()).isEqualTo(400);
    }
  }

  @Test
  void endpointHealthStatusUnhealthyOrDrainingKeepsTheHostOutOfRotation() {
    String json =
        ClusterFixtures.staticCluster("e", "ROUND_ROBIN", "", 1, 2, 3)
            .replaceFirst("\\{\"endpoint\"", "{\"health_status\":\"DRAINING\",\"endpoint\"");
    try (var b = build(json)) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("e");
      assertThat(shares(c, 300)).containsOnlyKeys(2, 3);
      assertThat(b.manager().dumpClusters()).contains("e::127.0.0.1:1::health_flags::/failed_eds_health\n");
    }
  }

  @Test
  void panicThresholdZeroMeansNoHealthyUpstream() {
    String json =
        ClusterFixtures.staticCluster(
            "p", "ROUND_ROBIN", "\"common_lb_config\":{\"healthy_panic_threshold\":{\"value\":0}}", 1, 2);
    try (var b = build(json)) {
      UpstreamCluster c = b.cluster("p");
      setHealthy(c, 1, false);
      setHealthy(c, 2, false);
      assertThat(c.choose(LbContext.NONE)).isNull();
    }
  }

  @Test
  void previousHostsPredicateRepicksUpToTheAllowedAttempts() {
    try (var b = build(ClusterFixtures.staticCluster("r", "RANDOM", "", 1, 2))) {
      UpstreamCluster c = b.cluster("r");
      LbContext avoidPort1 =
          new LbContext() {
            @Override
            public boolean shouldSelectAnotherHost(Host host) {
              return host.address().getPort() == 1;
            }

            @Override
            public int hostSelectionRetryCount() {
              return 20;
            }
          };
      for (int i = 0; i < 200; i++) {
        assertThat(c.choose(avoidPort1).address().getPort()).isEqualTo(2);
      }
    }
  }

  @Test
  void hashKeyPinsRingHashChoices() {
    try (var b = build(ClusterFixtures.staticCluster("h", "RING_HASH", "", 1, 2, 3, 4, 5))) {
      UpstreamCluster c = b.cluster("h");
      for (long key = 0; key < 100; key++) {
        Host first = c.choose(LbContext.hash(key * 0x9E3779B97F4A7C15L));
        for (int i = 0; i < 5; i++) {
          assertThat(c.choose(LbContext.hash(key * 0x9E3779B97F4A7C15L))).isSameAs(first);
        }
      }
    }
  }
}
