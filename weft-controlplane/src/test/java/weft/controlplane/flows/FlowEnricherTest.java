package weft.controlplane.flows;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import weft.controlplane.flows.FlowRecord.Direction;
import weft.controlplane.flows.FlowRecord.Verdict;
import weft.policy.engine.EngineOptions;

/** Access log entries to flow records: ends, verdicts and the deciding rule. */
class FlowEnricherTest {
  private final FlowEnricher enricher =
      new FlowEnricher(Entries::state, new EngineOptions("cluster.local", "istio-system"), "cluster.local");

  @Test
  void inboundRequestNamesBothEndsThePeerIdentityAndTheAllowingHttpRule() {
    FlowRecord r = enricher.http("default/jobs-api", "inbound", Entries.inbound("GET", "/jobs/331", 200, "via_upstream")).orElseThrow();
    assertThat(r.direction()).isEqualTo(Direction.INGRESS);
    assertThat(r.time()).isEqualTo(Instant.ofEpochSecond(1_800_000_000L));
    assertThat(r.source()).isEqualTo(new FlowRecord.Source("default", "tweet", Entries.TWEET_ID, "127.0.50.2:40000"));
    assertThat(r.destination()).isEqualTo(new FlowRecord.Destination("default", "jobs-api", null, "127.0.50.1", 80));
    assertThat(r.protocol()).isEqualTo("http/1.1");
    assertThat(r.http()).isEqualTo(new FlowRecord.Http("GET", "/jobs/331", 200));
    assertThat(r.verdict()).isEqualTo(Verdict.FORWARDED);
    assertThat(r.policy()).startsWith("CiliumNetworkPolicy default/jobs-api spec.ingress[0]");
    assertThat(r.peerIdentity()).isEqualTo(Entries.TWEET_ID);
    assertThat(r.latency()).isEqualTo(Duration.ofNanos(2_500_000));
    assertThat(r.node()).isEqualTo("default/jobs-api");
    assertThat(r.bytesReceived()).isEqualTo(100);
    assertThat(r.bytesSent()).isEqualTo(69);
  }

  @Test
  void defaultDenyAtL7IsNamedByThePolicyEngineAsTheRuleThatCoversThePort() {
    // Envoy's HTTP RBAC says [none] when nothing in an ALLOW list matched (Cilium L7 default deny)
    FlowRecord r = enricher.http("default/jobs-api", "inbound",
        Entries.inbound("POST", "/jobs", 403, "rbac_access_denied_matched_policy[none]")).orElseThrow();
    assertThat(r.verdict()).isEqualTo(Verdict.DENIED);
    assertThat(r.policy()).startsWith("CiliumNetworkPolicy default/jobs-api spec.ingress[0]");
    assertThat(r.reason()).contains("no HTTP rule matches POST /jobs");
  }

  @Test
  void networkRbacDenialAtTheListenerNamesTheDenyRuleItWasExportedFrom() {
    // the export names label rules "<i> <rule>"; Envoy reports them with whitespace as '_'
    FlowRecord r = enricher.tcp("default/jobs-api", "inbound-listener", Entries.connection("127.0.50.4",
        "spiffe://cluster.local/ns/default/sa/intruder",
        "rbac_access_denied_matched_policy[0_CiliumNetworkPolicy_default/no-intruder_spec.ingressDeny[0]]")).orElseThrow();
    assertThat(r.verdict()).isEqualTo(Verdict.DENIED);
    assertThat(r.protocol()).isEqualTo("tcp");
    assertThat(r.http()).isNull();
    assertThat(r.source().name()).isEqualTo("default/intruder");
    assertThat(r.policy()).isEqualTo("CiliumNetworkPolicy default/no-intruder spec.ingressDeny[0]");
  }

  @Test
  void plaintextRefusedByStrictMtlsNamesThePeerAuthentication() {
    FlowRecord r = enricher.tcp("default/jobs-api", "inbound-listener", Entries.connection("127.0.0.1", null,
        "rbac_access_denied_matched_policy[peer-authentication_STRICT]")).orElseThrow();
    assertThat(r.verdict()).isEqualTo(Verdict.DENIED);
    assertThat(r.peerIdentity()).isNull();
    assertThat(r.policy()).isEqualTo("PeerAuthentication default/default (mTLS STRICT)");
  }

  @Test
  void listenerLogOfAConnectionNotDeniedMakesNoRecord() {
    assertThat(enricher.tcp("default/jobs-api", "inbound-listener", Entries.connection("127.0.50.2", Entries.TWEET_ID, "")))
        .isEmpty();
  }

  @Test
  void aDeniedConnectionIsRecordedOnceFromTheListenersEntry() {
    String details = "rbac_access_denied_matched_policy[0_CiliumNetworkPolicy_default/no-intruder_spec.ingressDeny[0]]";
    assertThat(enricher.tcp("default/jobs-api", "inbound", Entries.connection("127.0.50.4", null, details))).isEmpty();
    assertThat(enricher.tcp("default/jobs-api", "inbound", Entries.connection("127.0.50.2", Entries.TWEET_ID, "")))
        .as("tcp_proxy's entry of a connection let through").isPresent();
  }

  @Test
  void outboundRequestNamesTheServiceFromTheClusterAndTheBackendFromItsAddress() {
    FlowRecord r = enricher.http("default/tweet", "outbound",
        Entries.outbound("GET", "/jobs/331", 200, "via_upstream", ResponseFlags.getDefaultInstance())).orElseThrow();
    assertThat(r.direction()).isEqualTo(Direction.EGRESS);
    assertThat(r.source().name()).isEqualTo("default/tweet");
    assertThat(r.source().identity()).isEqualTo(Entries.TWEET_ID);
    assertThat(r.destination()).isEqualTo(new FlowRecord.Destination("default", "jobs-api", "jobs-api", "127.0.50.1", 80));
    assertThat(r.peerIdentity()).as("the app's side of the outbound listener is plaintext").isNull();
    assertThat(r.verdict()).isEqualTo(Verdict.FORWARDED);
  }

  static Stream<Arguments> verdicts() {
    ResponseFlags none = ResponseFlags.getDefaultInstance();
    return Stream.of(
        Arguments.of("an upstream's 403 is forwarded at egress (the denial is the destination's record)",
            403, "via_upstream", none, Verdict.FORWARDED),
        Arguments.of("an upstream's 503 is forwarded", 503, "via_upstream", none, Verdict.FORWARDED),
        Arguments.of("UF: upstream connection failure", 503, "upstream_reset_before_response_started{connection_failure}",
            ResponseFlags.newBuilder().setUpstreamConnectionFailure(true).build(), Verdict.ERROR),
        Arguments.of("UH: no healthy upstream", 503, "no_healthy_upstream",
            ResponseFlags.newBuilder().setNoHealthyUpstream(true).build(), Verdict.ERROR),
        Arguments.of("NR: no route", 404, "route_not_found", ResponseFlags.newBuilder().setNoRouteFound(true).build(), Verdict.ERROR),
        Arguments.of("UT: upstream timeout", 504, "upstream_response_timeout",
            ResponseFlags.newBuilder().setUpstreamRequestTimeout(true).build(), Verdict.ERROR),
        Arguments.of("a locally generated 5xx without a flag", 503, "cluster_not_found", none, Verdict.ERROR),
        Arguments.of("DC: the client went away is not an error of the mesh", 200, "via_upstream",
            ResponseFlags.newBuilder().setDownstreamConnectionTermination(true).build(), Verdict.FORWARDED),
        Arguments.of("an RBAC denial at the source's sidecar", 403, "rbac_access_denied_matched_policy[none]", none, Verdict.DENIED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("verdicts")
  void verdictFollowsDetailsAndResponseFlags(String why, int status, String details, ResponseFlags flags, Verdict want) {
    FlowRecord r = enricher.http("default/tweet", "outbound", Entries.outbound("GET", "/jobs/1", status, details, flags)).orElseThrow();
    assertThat(r.verdict()).isEqualTo(want);
    if (want == Verdict.ERROR && flags.getNoHealthyUpstream()) {
      assertThat(r.reason()).contains("UH");
    }
  }

  @Test
  void unknownNodeAndAddressesStillMakeARecordWithAddresses() {
    FlowRecord r = enricher.http("other/thing", "inbound", Entries.inbound("GET", "/x", 200, "via_upstream")).orElseThrow();
    assertThat(r.destination().name()).isEqualTo("127.0.50.1");
    assertThat(r.source().name()).as("the peer identity still names the source").isEqualTo("default/tweet");
    assertThat(r.policy()).isNull();
  }
}
