package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import io.envoyproxy.envoy.extensions.filters.http.fault.v3.HTTPFault;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.type.v3.FractionalPercent;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.controlplane.xds.ProxySnapshot;

class OutboundTranslationTest {
  private static final String JOBS = "outbound|80||jobs.jobs.svc.cluster.local";
  private static final String VS = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: jobs, namespace: jobs}\n";
  private static final String DR = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: jobs, namespace: jobs}\n";
  private static final String SUBSETS = DR + "spec: {host: jobs, subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]}";

  private static ProxySnapshot tweet(String... extra) {
    String[] docs = new String[extra.length + 1];
    docs[0] = Mesh.BASE;
    System.arraycopy(extra, 0, docs, 1, extra.length);
    Translator.Translation t = Mesh.translate(docs);
    assertThat(t.problems()).isEmpty();
    return t.snapshots().get("social/tweet-1");
  }

  @Test
  void everyServiceIsReachableByNameWithShortNamesOnlyInTheOwnNamespace() {
    ProxySnapshot s = tweet();
    assertThat(Mesh.vhost(s, "jobs.jobs.svc.cluster.local:80").getDomainsList()).containsExactly(
        "jobs.jobs", "jobs.jobs:80", "jobs.jobs.svc", "jobs.jobs.svc:80",
        "jobs.jobs.svc.cluster.local", "jobs.jobs.svc.cluster.local:80");
    assertThat(Mesh.vhost(s, "tweet.social.svc.cluster.local:80").getDomainsList()).startsWith("tweet", "tweet:80");
    // no VirtualService: one route to the service's cluster, Istio's default retries, no timeout
    Route r = Mesh.vhost(s, "jobs.jobs.svc.cluster.local:80").getRoutes(0);
    assertThat(r.getMatch().getPrefix()).isEqualTo("/");
    assertThat(r.getRoute().getCluster()).isEqualTo(JOBS);
    assertThat(r.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(2);
    assertThat(r.getRoute().getTimeout().getSeconds()).isZero();
    // the tcp-db port gets a cluster but no HTTP virtual host
    assertThat(Mesh.clusterNames(s)).contains("outbound|5432||jobs.jobs.svc.cluster.local");
    assertThat(Mesh.listener(s, "outbound_127.0.0.5_15001").getAddress().getSocketAddress().getPortValue()).isEqualTo(15001);
  }

  @Test
  void endpointsAreTheSelectedWorkloadsOnTheTargetPortWithLocality() {
    var cla = Mesh.endpoints(tweet(), JOBS);
    assertThat(cla.getEndpointsList()).extracting(e -> e.getLocality().getRegion() + "/" + e.getLocality().getZone() + "="
            + e.getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getAddress() + ":"
            + e.getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getPortValue())
        .containsExactly("eu-central/eu-central-a=127.0.0.7:8080", "eu-west/eu-west-b=127.0.0.6:8080");
    // grpc-xds ignores localities without a weight
    assertThat(cla.getEndpointsList()).allMatch(e -> e.getLoadBalancingWeight().getValue() == e.getLbEndpointsCount());
    // jobs-v2 declares no tcp-db port: a named target port excludes it (Kubernetes)
    assertThat(Mesh.endpoints(tweet(), "outbound|5432||jobs.jobs.svc.cluster.local").getEndpointsCount()).isEqualTo(1);
  }

  @Test
  void upstreamMtlsVerifiesEverySpiffeIdBackingTheService() throws Exception {
    Cluster c = Mesh.cluster(tweet(), JOBS);
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.EDS);
    assertThat(c.getEdsClusterConfig().getServiceName()).isEqualTo(JOBS);
    UpstreamTlsContext tls = c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    var combined = tls.getCommonTlsContext().getCombinedValidationContext();
    assertThat(combined.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
    assertThat(combined.getDefaultValidationContext().getMatchTypedSubjectAltNamesList())
        .extracting(m -> m.getSanType().name() + " " + m.getMatcher().getExact())
        .containsExactly("URI spiffe://cluster.local/ns/jobs/sa/jobs", "URI spiffe://cluster.local/ns/jobs/sa/jobs-canary");
  }

  @Test
  void weightedRouteToSubsetsWithMatchRewriteRetriesMirrorAndHeaders() {
    ProxySnapshot s = tweet(SUBSETS, VS + """
        spec:
          hosts: [jobs]
          http:
          - match: [{uri: {prefix: /jobs/}, method: {exact: GET}, headers: {x-tenant: {regex: "a.*"}}}, {uri: {exact: /health}}]
            route:
            - {destination: {host: jobs, subset: v1}, weight: 90}
            - {destination: {host: jobs, subset: v2}, weight: 10, headers: {response: {set: {x-canary: "1"}}}}
            rewrite: {uri: /v2/, authority: jobs.internal}
            timeout: 3s
            retries: {attempts: 4, perTryTimeout: 1s, retryOn: "503,connect-failure"}
            mirror: {host: tweet.social.svc.cluster.local}
            mirrorPercentage: {value: 12.5}
            headers: {request: {add: {x-from: tweet}, remove: [x-debug]}}
          - route: [{destination: {host: jobs, subset: v1}}]
            retries: {attempts: 0}
        """);
    List<Route> routes = Mesh.vhost(s, "jobs.jobs.svc.cluster.local:80").getRoutesList();
    assertThat(routes).hasSize(3); // one Envoy route per match, then the catch-all
    Route first = routes.get(0);
    assertThat(first.getMatch().getPrefix()).isEqualTo("/jobs/");
    assertThat(first.getMatch().getHeadersList()).extracting(h -> h.getName()).containsExactly(":method", "x-tenant");
    assertThat(routes.get(1).getMatch().getPath()).isEqualTo("/health");
    RouteAction a = first.getRoute();
    assertThat(a.getWeightedClusters().getClustersList()).extracting(c -> c.getName() + "=" + c.getWeight().getValue())
        .containsExactly("outbound|80|v1|jobs.jobs.svc.cluster.local=90", "outbound|80|v2|jobs.jobs.svc.cluster.local=10");
    assertThat(a.getWeightedClusters().getClusters(1).getResponseHeadersToAdd(0).getHeader().getKey()).isEqualTo("x-canary");
    assertThat(a.getPrefixRewrite()).isEqualTo("/v2/");
    assertThat(a.getHostRewriteLiteral()).isEqualTo("jobs.internal");
    assertThat(a.getTimeout().getSeconds()).isEqualTo(3);
    assertThat(a.getRetryPolicy().getNumRetries().getValue()).isEqualTo(4);
    assertThat(a.getRetryPolicy().getRetryOn()).isEqualTo("retriable-status-codes,connect-failure");
    assertThat(a.getRetryPolicy().getRetriableStatusCodesList()).containsExactly(503);
    assertThat(a.getRequestMirrorPolicies(0).getCluster()).isEqualTo("outbound|80||tweet.social.svc.cluster.local");
    assertThat(a.getRequestMirrorPolicies(0).getRuntimeFraction().getDefaultValue())
        .isEqualTo(FractionalPercent.newBuilder().setNumerator(125_000).setDenominator(FractionalPercent.DenominatorType.MILLION).build());
    assertThat(first.getRequestHeadersToAddList()).extracting(h -> h.getHeader().getKey()).containsExactly("x-from");
    assertThat(first.getRequestHeadersToRemoveList()).containsExactly("x-debug");
    assertThat(routes.get(2).getRoute().getCluster()).isEqualTo("outbound|80|v1|jobs.jobs.svc.cluster.local");
    assertThat(routes.get(2).getRoute().hasRetryPolicy()).isFalse(); // attempts 0 disables retries
    // subsets select endpoints by workload labels
    assertThat(Mesh.endpoints(s, "outbound|80|v2|jobs.jobs.svc.cluster.local").getEndpointsList())
        .extracting(e -> e.getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress().getAddress()).containsExactly("127.0.0.7");
  }

  @Test
  void faultOfTheFirstRouteBecomesAnHcmFaultFilterRestatingItsMatch() throws Exception {
    ProxySnapshot s = tweet(VS + """
        spec:
          hosts: [jobs]
          http:
          - match: [{uri: {exact: /slow}}]
            fault: {delay: {fixedDelay: 2s, percentage: {value: 50}}, abort: {httpStatus: 503}}
            route: [{destination: {host: jobs}}]
        """);
    HttpConnectionManager hcm = Mesh.listener(s, "outbound_127.0.0.5_15001").getFilterChains(0).getFilters(0)
        .getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(hcm.getRds().getRouteConfigName()).isEqualTo("outbound");
    assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName()).containsExactly("envoy.filters.http.fault", "envoy.filters.http.router");
    HTTPFault f = hcm.getHttpFilters(0).getTypedConfig().unpack(HTTPFault.class);
    assertThat(f.getDelay().getFixedDelay().getSeconds()).isEqualTo(2);
    assertThat(f.getDelay().getPercentage().getNumerator()).isEqualTo(500_000);
    assertThat(f.getAbort().getHttpStatus()).isEqualTo(503);
    assertThat(f.getHeadersList()).extracting(h -> h.getName()).containsExactly(":authority", ":path");
    assertThat(java.util.regex.Pattern.matches(f.getHeaders(1).getStringMatch().getSafeRegex().getRegex(), "/slow?x=1")).isTrue();
    assertThat(java.util.regex.Pattern.matches(f.getHeaders(0).getStringMatch().getSafeRegex().getRegex(), "jobs.jobs:80")).isTrue();
    assertThat(java.util.regex.Pattern.matches(f.getHeaders(0).getStringMatch().getSafeRegex().getRegex(), "jobsxjobs")).isFalse();
  }

  @Test
  void destinationRulePolicyBecomesClusterSettingsAndSubsetsOverrideIt() throws Exception {
    ProxySnapshot s = tweet(DR + """
        spec:
          host: jobs.jobs.svc.cluster.local
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST}
            connectionPool: {tcp: {maxConnections: 10, connectTimeout: 2s}, http: {http1MaxPendingRequests: 5, http2MaxRequests: 50, maxRetries: 2}}
            outlierDetection: {consecutive5xxErrors: 3, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 50}
          subsets:
          - {name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x-user}}, tls: {mode: DISABLE}}}
        """);
    Cluster c = Mesh.cluster(s, JOBS);
    assertThat(c.getLbPolicy()).isEqualTo(Cluster.LbPolicy.LEAST_REQUEST);
    assertThat(c.getConnectTimeout().getSeconds()).isEqualTo(2);
    var t = c.getCircuitBreakers().getThresholds(0);
    assertThat(List.of(t.getMaxConnections().getValue(), t.getMaxPendingRequests().getValue(), t.getMaxRequests().getValue(),
        t.getMaxRetries().getValue())).containsExactly(10, 5, 50, 2);
    var od = c.getOutlierDetection();
    assertThat(od.getConsecutive5Xx().getValue()).isEqualTo(3);
    assertThat(od.getEnforcingSuccessRate().getValue()).isZero();
    assertThat(od.getMaxEjectionPercent().getValue()).isEqualTo(50);
    assertThat(c.hasTransportSocket()).isTrue();
    Cluster v1 = Mesh.cluster(s, "outbound|80|v1|jobs.jobs.svc.cluster.local");
    assertThat(v1.getLbPolicy()).isEqualTo(Cluster.LbPolicy.RING_HASH);
    assertThat(v1.hasTransportSocket()).isFalse(); // tls DISABLE
    assertThat(v1.getOutlierDetection()).isEqualTo(od); // inherited from the rule
    // routes to a consistent-hash cluster carry the hash policy
    Translator.Translation withVs = Mesh.translate(Mesh.BASE, DR + """
        spec: {host: jobs, subsets: [{name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {consistentHash: {useSourceIp: true}}}}]}
        """, VS + "spec: {hosts: [jobs], http: [{route: [{destination: {host: jobs, subset: v1}}]}]}");
    assertThat(Mesh.vhost(withVs.snapshots().get("social/tweet-1"), "jobs.jobs.svc.cluster.local:80").getRoutes(0).getRoute()
        .getHashPolicy(0).getConnectionProperties().getSourceIp()).isTrue();
  }

  @Test
  void localityFailoverOrdersPrioritiesFromTheCallersLocality() {
    ProxySnapshot s = tweet(DR + """
        spec:
          host: jobs
          trafficPolicy:
            outlierDetection: {consecutive5xxErrors: 1}
            loadBalancer: {localityLbSetting: {failover: [{from: eu-west, to: eu-central}]}}
        """);
    // tweet is in eu-west/eu-west-a: same region (eu-west-b) first, then the failover region
    assertThat(Mesh.endpoints(s, JOBS).getEndpointsList()).extracting(e -> e.getLocality().getZone() + "@" + e.getPriority())
        .containsExactly("eu-central-a@1", "eu-west-b@0");
    // without outlier detection Istio does not apply locality failover: one priority
    assertThat(Mesh.endpoints(tweet(), JOBS).getEndpointsList()).extracting(LocalityLbEndpoints::getPriority).containsOnly(0);
  }

  @Test
  void peersThatAllDisableMtlsAreCalledInPlaintextUnlessTheRuleSaysOtherwise() {
    String disable = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: no-mtls, namespace: jobs}\nspec: {mtls: {mode: DISABLE}}";
    assertThat(Mesh.cluster(tweet(disable), JOBS).hasTransportSocket()).isFalse();
    assertThat(Mesh.cluster(tweet(disable, DR + "spec: {host: jobs, trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}}"), JOBS)
        .hasTransportSocket()).isTrue();
  }

  @Test
  void unroutableReferencesAreReportedWithTheirField() {
    Translator.Translation t = Mesh.translate(Mesh.BASE, VS + """
        spec:
          hosts: [jobs, nowhere]
          http:
          - route: [{destination: {host: jobs, subset: v9}}]
          - route: [{destination: {host: ghost}}]
          - route: [{destination: {host: jobs, port: {number: 81}}}]
        """);
    assertThat(t.problems()).contains(
        "VirtualService jobs/jobs: spec.hosts[1]: nowhere.jobs.svc.cluster.local is not a known service",
        "VirtualService jobs/jobs: spec.http[0].route[0].destination.subset: no DestinationRule for jobs.jobs.svc.cluster.local declares subset v9",
        "VirtualService jobs/jobs: spec.http[1].route[0].destination.host: ghost.jobs.svc.cluster.local is not a known service",
        "VirtualService jobs/jobs: spec.http[2].route[0].destination.port.number: jobs.jobs.svc.cluster.local has no port 81");
  }

  @Test
  void proxylessClientsGetApiListenersRdsAndPlaintextEdsClusters() throws Exception {
    ProxySnapshot p = Mesh.translate(Mesh.BASE).proxyless();
    assertThat(p.listeners()).extracting(l -> l.getName()).contains(
        "jobs.jobs.svc.cluster.local:80", "jobs.jobs.svc.cluster.local", "jobs.jobs:80", "jobs:80", "tweet:80");
    var hcm = p.listeners().get(0).getApiListener().getApiListener().unpack(HttpConnectionManager.class);
    assertThat(hcm.getHttpFiltersList()).extracting(f -> f.getName()).containsExactly("envoy.filters.http.router");
    assertThat(p.routes()).extracting(r -> r.getName()).contains("jobs.jobs.svc.cluster.local:80");
    assertThat(p.clusters()).allMatch(c -> !c.hasTransportSocket() && c.getType() == Cluster.DiscoveryType.EDS);
    assertThat(p.secrets()).isEmpty();
  }
}
