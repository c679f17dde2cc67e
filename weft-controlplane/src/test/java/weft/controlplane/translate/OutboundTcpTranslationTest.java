package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.controlplane.xds.ProxySnapshot;

/**
 * TCP and TLS services through the client's sidecar (docs/controlplane.md, "Outbound TCP and TLS"):
 * Istio's Sidecar egress listener with an explicit port and bind, tcp_proxy to the service's cluster;
 * TLS ports matched by SNI (Envoy's filter chain match, server_names).
 */
class OutboundTcpTranslationTest {
  private static String service(String ns, String name, String ports) {
    return "apiVersion: v1\nkind: Service\nmetadata: {name: " + name + ", namespace: " + ns + "}\n"
        + "spec: {selector: {app: " + name + "}, ports: [" + ports + "]}";
  }

  /** redis in tweet's namespace, two TLS services sharing 9093 in another, a UDP port. */
  private static final String[] DATA = {
      "apiVersion: v1\nkind: Namespace\nmetadata: {name: data}",
      service("social", "cache", "{name: redis, port: 6379}"),
      service("data", "kafka", "{name: tls-kafka, port: 9093}"),
      service("data", "search", "{name: api, port: 9093, appProtocol: https}, {name: dns, port: 53, protocol: UDP, appProtocol: tcp}"),
  };

  private static Translator.Translation translate(String... extra) {
    String[] docs = new String[DATA.length + extra.length + 1];
    docs[0] = Mesh.BASE;
    System.arraycopy(DATA, 0, docs, 1, DATA.length);
    System.arraycopy(extra, 0, docs, 1 + DATA.length, extra.length);
    return Mesh.translate(docs);
  }

  private static ProxySnapshot tweet(Translator.Translation t) {
    return t.snapshots().get("social/tweet-1");
  }

  private static TcpProxy tcpProxy(FilterChain c) throws Exception {
    assertThat(c.getFiltersList()).singleElement().satisfies(f -> assertThat(f.getName()).isEqualTo("envoy.filters.network.tcp_proxy"));
    return c.getFilters(0).getTypedConfig().unpack(TcpProxy.class);
  }

  private static Optional<Listener> find(ProxySnapshot s, String name) {
    return s.listeners().stream().filter(l -> l.getName().equals(name)).findFirst();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " :: ", textBlock = """
      # listener :: listener filters :: chain: cluster <- server_names
      # Istio Sidecar egress (port + bind): opaque TCP, one service per port, no filter chain match
      outbound_127.0.0.5_5432 :: '' :: outbound|5432||jobs.jobs.svc.cluster.local <-
      outbound_127.0.0.5_6379 :: '' :: outbound|6379||cache.social.svc.cluster.local <-
      # TLS: Envoy tls_inspector + filter_chain_match.server_names (SNI); no short name outside the own namespace
      outbound_127.0.0.5_9093 :: envoy.filters.listener.tls_inspector :: outbound|9093||kafka.data.svc.cluster.local <- kafka.data kafka.data.svc kafka.data.svc.cluster.local; outbound|9093||search.data.svc.cluster.local <- search.data search.data.svc search.data.svc.cluster.local
      """)
  void oneListenerPerServicePortOnTheClientsAddressWithTcpProxyToTheServiceCluster(String name, String filters,
      String chains) throws Exception {
    Translator.Translation t = translate();
    assertThat(t.problems()).isEmpty();
    Listener l = Mesh.listener(tweet(t), name);
    String[] parts = name.split("_");
    assertThat(l.getAddress().getSocketAddress().getAddress()).isEqualTo(parts[1]);
    assertThat(l.getAddress().getSocketAddress().getPortValue()).isEqualTo(Integer.parseInt(parts[2]));
    assertThat(l.getListenerFiltersList()).extracting(f -> f.getName())
        .containsExactlyElementsOf(filters.isEmpty() ? List.of() : List.of(filters));
    StringBuilder seen = new StringBuilder();
    for (FilterChain c : l.getFilterChainsList()) {
      TcpProxy p = tcpProxy(c);
      assertThat(p.getStatPrefix()).isEqualTo(p.getCluster());
      assertThat(c.hasTransportSocket()).as("the client's bytes are forwarded as they come").isFalse();
      seen.append(seen.isEmpty() ? "" : "; ").append(p.getCluster()).append(" <-");
      for (String n : c.getFilterChainMatch().getServerNamesList()) {
        seen.append(' ').append(n);
      }
    }
    assertThat(seen.toString()).isEqualTo(chains.strip());
  }

  @Test
  void theShortNameMatchesOnlyForClientsOfTheServicesOwnNamespace() {
    String client = """
        apiVersion: weft.dev/v1alpha1
        kind: Workload
        metadata: {name: consumer, namespace: data, labels: {app: consumer}}
        spec: {addresses: [127.0.0.9], ports: [{name: http, port: 80}]}
        """;
    Translator.Translation t = translate(client);
    assertThat(t.problems()).isEmpty();
    Listener l = Mesh.listener(t.snapshots().get("data/consumer"), "outbound_127.0.0.9_9093");
    assertThat(l.getFilterChains(0).getFilterChainMatch().getServerNamesList())
        .containsExactly("kafka", "kafka.data", "kafka.data.svc", "kafka.data.svc.cluster.local");
  }

  @Test
  void tcpAndTlsPortsUseTheServicesMutualTlsClusterAndLogOutboundFlows() throws Exception {
    TranslateOptions flows = Mesh.OPTIONS.withFlowCollector(new java.net.InetSocketAddress("127.0.0.1", 15010));
    Translator.Translation t = Translator.translateAll(Mesh.resources(Mesh.BASE, String.join("\n---\n", DATA)), flows);
    ProxySnapshot s = tweet(t);
    for (String l : List.of("outbound_127.0.0.5_5432", "outbound_127.0.0.5_9093")) {
      for (FilterChain c : Mesh.listener(s, l).getFilterChainsList()) {
        TcpProxy p = tcpProxy(c);
        assertThat(FlowLogsTranslationTest.tcp(p.getAccessLogList()).getLogName()).isEqualTo("outbound");
        // the same EDS cluster with ISTIO_MUTUAL as an HTTP port gets: TLS ports are wrapped too (Istio's TLS-in-mTLS)
        var cluster = Mesh.cluster(s, p.getCluster());
        assertThat(cluster.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class)
            .getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
      }
    }
    // no listener logger: nothing outbound closes connections before tcp_proxy sees them
    assertThat(Mesh.listener(s, "outbound_127.0.0.5_5432").getAccessLogList()).isEmpty();
  }

  @Test
  void udpPortsAndHttpPortsGetNoTcpListener() {
    ProxySnapshot s = tweet(translate());
    assertThat(s.listeners()).extracting(Listener::getName)
        .containsExactlyInAnyOrder("inbound_127.0.0.5_80", "outbound_127.0.0.5_15001", "outbound_127.0.0.5_5432",
            "outbound_127.0.0.5_6379", "outbound_127.0.0.5_9093");
  }

  @Test
  void aBackendOfTheServiceKeepsItsInboundListenerOnThePortAndOthersDialIt() {
    Translator.Translation t = translate();
    // jobs-v1 serves jobs:5432 on 127.0.0.6:5432 itself: dialing it reaches its own instance
    assertThat(find(t.snapshots().get("jobs/jobs-v1"), "outbound_127.0.0.6_5432")).isEmpty();
    assertThat(find(t.snapshots().get("jobs/jobs-v1"), "inbound_127.0.0.6_5432")).isPresent();
    // jobs-v2 has no port 5432 (its endpoints exclude it): it is a client like any other
    assertThat(find(t.snapshots().get("jobs/jobs-v2"), "outbound_127.0.0.7_5432")).isPresent();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # what collides                      | extra service                                     | listener not created     | problem
      two opaque TCP services on one port   | social,mysql,{name: mysql, port: 6379}             | outbound_127.0.0.5_6379  | Service social/cache port 6379 (redis) and Service social/mysql port 6379 (mysql): a client's sidecar has one listener per TCP port (outbound_<ip>_6379) and an opaque TCP connection names no service, so none of them is reachable through the sidecar (give one of them another port, or name the ports tls-* when the clients speak TLS with SNI)
      an opaque TCP service and TLS ones    | jobs,queue,{name: tcp, port: 9093}                 | outbound_127.0.0.5_9093  | Service data/kafka port 9093 (tls-kafka) and Service data/search port 9093 (api) and Service jobs/queue port 9093 (tcp): a client's sidecar has one listener per TCP port
      the sidecar's HTTP outbound port      | jobs,legacy,{name: tcp, port: 15001}               | outbound_127.0.0.5_15001 | Workload social/tweet-1: Service jobs/legacy port 15001 (tcp): the port is the sidecar's HTTP outbound port (spec.proxy.outboundPort), so outbound_127.0.0.5_15001 is not created (change the service port or outboundPort)
      a port of the client workload itself  | jobs,legacy,{name: tcp, port: 80}                  | outbound_127.0.0.5_80    | Workload social/tweet-1: Service jobs/legacy port 80 (tcp): the workload's own port 80 (inbound_127.0.0.5_80) takes the address, so outbound_127.0.0.5_80 is not created (change the service port or the workload port)
      """)
  void collidingPortsAreReportedAndNotTranslated(String what, String extra, String missing, String problem) {
    String[] s = extra.split(",", 3);
    Translator.Translation t = translate(service(s[0], s[1], s[2]));
    assertThat(t.problems()).anySatisfy(p -> assertThat(p).startsWith(problem.strip()));
    ProxySnapshot tweet = tweet(t);
    assertThat(find(tweet, missing.strip()).filter(l -> l.getFilterChains(0).getFilters(0).getName()
        .equals("envoy.filters.network.tcp_proxy"))).isEmpty();
    // the rest of the client's TCP listeners are unaffected
    assertThat(find(tweet, "outbound_127.0.0.5_5432")).isPresent();
  }

  @Test
  void thePlanIsAValueThatChangesWhenOnlyAPortsProtocolDoes() {
    // renaming tcp-* to tls-* changes no cluster: an incremental translation must compare plans too
    weft.api.ResourceSet tcp = Mesh.resources(Mesh.BASE, service("social", "cache", "{name: redis, port: 6379}"));
    weft.api.ResourceSet tls = Mesh.resources(Mesh.BASE, service("social", "cache", "{name: tls-redis, port: 6379}"));
    ProxySnapshot a = Translator.translateAll(tcp, Mesh.OPTIONS).snapshots().get("social/tweet-1");
    ProxySnapshot b = Translator.translateAll(tls, Mesh.OPTIONS).snapshots().get("social/tweet-1");
    assertThat(a.clusters()).isEqualTo(b.clusters());
    OutboundTcp.Plan plan = OutboundTcp.plan(weft.controlplane.registry.Registry.of(tcp, "cluster.local").services(), a.clusters());
    assertThat(OutboundTcp.plan(weft.controlplane.registry.Registry.of(tcp, "cluster.local").services(), a.clusters()))
        .isEqualTo(plan);
    assertThat(OutboundTcp.plan(weft.controlplane.registry.Registry.of(tls, "cluster.local").services(), b.clusters()))
        .isNotEqualTo(plan);
    assertThat(Mesh.listener(b, "outbound_127.0.0.5_6379").getListenerFilters(0).getName())
        .isEqualTo(OutboundTcp.TLS_INSPECTOR);
  }

  @Test
  void aClientGetsListenersOnlyForServicesWhoseClusterItHas() {
    weft.api.ResourceSet r = Mesh.resources(Mesh.BASE, String.join("\n---\n", DATA));
    ProxySnapshot s = Translator.translateAll(r, Mesh.OPTIONS).snapshots().get("social/tweet-1");
    var scoped = s.clusters().stream().filter(c -> !c.getName().contains("kafka")).toList();
    OutboundTcp.Plan plan = OutboundTcp.plan(weft.controlplane.registry.Registry.of(r, "cluster.local").services(), scoped);
    assertThat(plan.byPort().get(9093)).extracting(t -> t.service().name()).containsExactly("search");
    assertThat(plan.byPort()).containsOnlyKeys(5432, 6379, 9093);
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      # Istio protocol selection: appProtocol, else the port name's prefix; no declaration is HTTP
      -         | http-web   | HTTP
      -         | -          | HTTP
      -         | grpc       | HTTP
      -         | tcp-db     | TCP
      -         | mysql      | TCP
      -         | Kafka-x    | TCP
      -         | tls        | TLS
      -         | https-api  | TLS
      https     | web        | TLS
      tcp       | http       | TCP
      http      | tcp        | HTTP
      """)
  void protocolsFollowAppProtocolThenThePortNamePrefix(String appProtocol, String name, Protocols.Kind kind) {
    assertThat(Protocols.kind(Optional.ofNullable(appProtocol), Optional.ofNullable(name))).isEqualTo(kind);
  }
}
