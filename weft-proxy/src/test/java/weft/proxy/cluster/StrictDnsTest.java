package weft.proxy.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static weft.proxy.cluster.ClusterFixtures.buildNio;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@Timeout(20)
class StrictDnsTest {

  private static String cluster(String family, String address, int port, String extra) {
    return cluster(family, address, port, extra, ",\"hostname\":\"backend-1\"");
  }

  private static String cluster(String family, String address, int port, String extra, String hostname) {
    return "{\"name\":\"dns\",\"type\":\"STRICT_DNS\",\"dns_lookup_family\":\"" + family + "\","
        + "\"dns_refresh_rate\":\"0.1s\"" + extra + ","
        + "\"load_assignment\":{\"cluster_name\":\"dns\",\"endpoints\":[{\"lb_endpoints\":["
        + "{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"" + address + "\",\"port_value\":"
        + port + "}}" + hostname + "}}]}]}}";
  }

  @Test
  void localhostResolvesThroughTheHostsFile() throws Exception {
    try (var b = buildNio(cluster("V4_ONLY", "localhost", 8080, ""))) {
      assertThat(b.problems().list()).isEmpty();
      UpstreamCluster c = b.cluster("dns");
      assertThat(c.choose(LbContext.NONE)).as("no hosts before the first lookup").isNull();
      b.manager().start().get(10, TimeUnit.SECONDS);
      Host h = c.choose(LbContext.NONE);
      assertThat(h.addressString()).isEqualTo("127.0.0.1:8080");
      assertThat(h.hostname()).isEqualTo("backend-1");
      assertThat(b.manager().dumpClusters()).contains("dns::127.0.0.1:8080::hostname::backend-1\n");
      // later refreshes with the same answer keep the same host (its stats and health)
      long attempts = b.stats().counter("cluster.dns.update_attempt").value();
      await().atMost(Duration.ofSeconds(5))
          .until(() -> b.stats().counter("cluster.dns.update_attempt").value() > attempts + 1);
      assertThat(c.hosts()).containsExactly(h);
      assertThat(b.stats().counter("cluster.dns.update_success").value()).isGreaterThan(1);
    }
  }

  @Test
  void aFailedLookupCountsUpdateFailureAndKeepsTheOtherEndpoints() throws Exception {
    String json =
        cluster("V4_ONLY", "localhost", 8080, "")
            .replace(
                "]}]}}",
                ",{\"endpoint\":{\"address\":{\"socket_address\":{\"address\":\"no-such-host.invalid\","
                    + "\"port_value\":8080}}}}]}]}}");
    try (var b = buildNio(json)) {
      assertThat(b.problems().list()).isEmpty();
      b.manager().start().get(15, TimeUnit.SECONDS);
      assertThat(b.stats().counter("cluster.dns.update_failure").value()).isPositive();
      assertThat(b.cluster("dns").hosts()).extracting(Host::addressString).containsExactly("127.0.0.1:8080");
    }
  }

  @Test
  void ipLiteralsNeedNoLookup() throws Exception {
    try (var b = buildNio(cluster("AUTO", "127.0.0.1", 9, ""))) {
      b.manager().start().get(10, TimeUnit.SECONDS);
      assertThat(b.cluster("dns").hosts()).extracting(Host::addressString).containsExactly("127.0.0.1:9");
    }
  }

  @Test
  void hostsAreNamedAfterTheDnsNameWithoutAnEndpointHostname() throws Exception {
    try (var b = buildNio(cluster("V4_ONLY", "localhost", 9, "", ""))) {
      b.manager().start().get(10, TimeUnit.SECONDS);
      assertThat(b.cluster("dns").hosts()).extracting(Host::hostname).containsExactly("localhost");
    }
  }

  @Test
  void strictDnsHostsAreHealthCheckedLikeStaticOnes() throws Exception {
    try (TestBackend server = TestBackend.http()) {
      String hc =
          ",\"health_checks\":[{\"interval\":\"0.05s\",\"timeout\":\"1s\",\"unhealthy_threshold\":1,"
              + "\"healthy_threshold\":1,\"http_health_check\":{\"path\":\"/\"}}]";
      try (var b = buildNio(cluster("V4_ONLY", "localhost", server.port(), hc))) {
        b.manager().start().get(10, TimeUnit.SECONDS);
        Host h = b.cluster("dns").hosts().get(0);
        await().until(h::healthy);
        server.status.set(500);
        await().until(h::failedActiveHealthCheck);
      }
    }
  }

  /** cluster.proto dns_lookup_family over an answer with both families. */
  @ParameterizedTest(name = "{0} of {1} -> {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "V4_ONLY      | 10.0.0.1 ::1 | 10.0.0.1",
        "V6_ONLY      | 10.0.0.1 ::1 | ::1",
        "AUTO         | 10.0.0.1 ::1 | ::1",
        "AUTO         | 10.0.0.1     | 10.0.0.1",
        "V4_PREFERRED | 10.0.0.1 ::1 | 10.0.0.1",
        "V4_PREFERRED | ::1          | ::1",
        "ALL          | 10.0.0.1 ::1 | 10.0.0.1 ::1",
      })
  void lookupFamilySelectsAddresses(ClusterConfig.DnsLookupFamily family, String answer, String expected)
      throws Exception {
    List<InetAddress> in = new java.util.ArrayList<>();
    for (String a : answer.trim().split("\\s+")) {
      in.add(InetAddress.getByName(a));
    }
    List<String> out =
        DnsRefresher.select(in, family).stream()
            .map(a -> a.getHostAddress().replace("0:0:0:0:0:0:0:1", "::1"))
            .toList();
    assertThat(out).containsExactly(expected.trim().split("\\s+"));
  }
}
