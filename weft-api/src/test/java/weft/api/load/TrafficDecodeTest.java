package weft.api.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.api.DestinationRule;
import weft.api.VirtualService;
import weft.api.Workload;
import weft.api.traffic.Destination;
import weft.api.traffic.HeaderOperations;
import weft.api.traffic.HttpMatch;
import weft.api.traffic.HttpRoute;
import weft.api.traffic.StringMatch;
import weft.api.traffic.TrafficPolicy;

class TrafficDecodeTest {
  private static final String VS =
      "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: vs, namespace: jobs}\n";
  private static final String DR =
      "apiVersion: networking.istio.io/v1beta1\nkind: DestinationRule\nmetadata: {name: dr, namespace: jobs}\n";

  @Test
  void virtualServiceWithEveryHttpFeatureWeftRoutes() {
    VirtualService vs = Docs.single(VS + """
        spec:
          hosts: [jobs-api]
          gateways: [mesh]
          http:
          - name: canary
            match:
            - uri: {prefix: /jobs/}
              method: {exact: GET}
              headers: {x-tenant: {regex: "acme|initech"}}
              ignoreUriCase: true
            route:
            - destination: {host: jobs-api, subset: v1, port: {number: 80}}
              weight: 90
            - destination: {host: jobs-api.jobs.svc.cluster.local, subset: v2}
              weight: 10
              headers: {response: {set: {x-canary: "yes"}}}
            rewrite: {uri: /v2/jobs/, authority: jobs.internal}
            timeout: 1.5s
            retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,connect-failure"}
            fault:
              delay: {fixedDelay: 2s, percentage: {value: 12.5}}
              abort: {httpStatus: 503}
            mirror: {host: jobs-shadow}
            mirrorPercentage: {value: 5}
            headers: {request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}}
        """, VirtualService.class);
    assertThat(vs.hosts()).containsExactly("jobs-api");
    HttpRoute r = vs.http().get(0);
    assertThat(r.name()).contains("canary");
    assertThat(r.match()).containsExactly(new HttpMatch(Optional.empty(),
        Optional.of(new StringMatch(StringMatch.Type.PREFIX, "/jobs/")),
        Optional.of(new StringMatch(StringMatch.Type.EXACT, "GET")),
        Map.of("x-tenant", new StringMatch(StringMatch.Type.REGEX, "acme|initech")), true));
    assertThat(r.route()).extracting(HttpRoute.RouteDestination::weight).containsExactly(90, 10);
    assertThat(r.route().get(0).destination()).isEqualTo(new Destination("jobs-api", Optional.of("v1"), Optional.of(80)));
    assertThat(r.route().get(1).headers().response().set()).isEqualTo(Map.of("x-canary", "yes"));
    assertThat(r.rewrite()).contains(new HttpRoute.Rewrite(Optional.of("/v2/jobs/"), Optional.of("jobs.internal")));
    assertThat(r.timeout()).contains(Duration.ofMillis(1500));
    assertThat(r.retries()).contains(new HttpRoute.Retries(3, Optional.of(Duration.ofMillis(500)), Optional.of("5xx,connect-failure")));
    assertThat(r.fault()).contains(new HttpRoute.Fault(
        Optional.of(new HttpRoute.Delay(Duration.ofSeconds(2), 12.5)), Optional.of(new HttpRoute.Abort(503, 100))));
    assertThat(r.mirror()).contains(new Destination("jobs-shadow", Optional.empty(), Optional.empty()));
    assertThat(r.mirrorPercentage()).contains(5.0);
    assertThat(r.headers().request()).isEqualTo(new HeaderOperations(Map.of("x-a", "1"), Map.of("x-b", "2"), List.of("x-c")));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # Istio VirtualService fields weft does not implement are errors naming the field
      tcp routes              | {hosts: [a], tcp: [{route: [{destination: {host: a}}]}]}                | spec.tcp: field is not supported by weft
      tls routes              | {hosts: [a], tls: []}                                                    | spec.tls: field is not supported by weft
      gateway other than mesh | {hosts: [a], gateways: [istio-system/gw]}                                | spec.gateways[0]: only the mesh gateway is supported by weft, got "istio-system/gw"
      no hosts                | {http: []}                                                               | spec.hosts: at least one host is required
      query params            | {hosts: [a], http: [{match: [{queryParams: {q: {exact: x}}}], route: [{destination: {host: a}}]}]} | spec.http[0].match[0].queryParams: field is not supported by weft
      redirect                | {hosts: [a], http: [{redirect: {uri: /x}}]}                              | spec.http[0].redirect: field is not supported by weft
      bad regex               | {hosts: [a], http: [{match: [{uri: {regex: "("}}], route: [{destination: {host: a}}]}]} | spec.http[0].match[0].uri.regex: invalid regex "(": missing closing )
      two match kinds         | {hosts: [a], http: [{match: [{uri: {exact: /a, prefix: /b}}], route: [{destination: {host: a}}]}]} | spec.http[0].match[0].uri: exactly one of exact, prefix or regex is required
      bad duration            | {hosts: [a], http: [{timeout: 10, route: [{destination: {host: a}}]}]}   | spec.http[0].timeout: expected a string, got 10 (quote it: YAML reads unquoted numbers as numbers)
      bad duration unit       | {hosts: [a], http: [{timeout: 10x, route: [{destination: {host: a}}]}]}  | spec.http[0].timeout: expected a duration such as 1s, 500ms or 1m30s, got "10x"
      percentage over 100     | {hosts: [a], http: [{fault: {abort: {httpStatus: 500, percentage: {value: 101}}}, route: [{destination: {host: a}}]}]} | spec.http[0].fault.abort.percentage.value: expected a number 0..100, got 101
      zero weights            | {hosts: [a], http: [{route: [{destination: {host: a}}, {destination: {host: b}}]}]} | spec.http[0].route: weights of several destinations must not all be 0
      grpc abort              | {hosts: [a], http: [{fault: {abort: {grpcStatus: UNAVAILABLE}}, route: [{destination: {host: a}}]}]} | spec.http[0].fault.abort.grpcStatus: field is not supported by weft
      upper-case header       | {hosts: [a], http: [{match: [{headers: {X-A: {exact: b}}}], route: [{destination: {host: a}}]}]} | spec.http[0].match[0].headers.X-A: header names must be lower-case (Istio), got "X-A"
      misspelt field          | {hosts: [a], http: [{route: [{destination: {host: a}}], retires: {}}]}   | spec.http[0].retires: unknown field (did you mean retries?)
      """)
  void virtualServiceRefusals(String rule, String spec, String error) {
    assertThat(Docs.errors(VS + "spec: " + spec)).containsExactly("test.yaml[0]: VirtualService jobs/vs: " + error);
  }

  @Test
  void destinationRuleWithPolicyAndSubsets() {
    DestinationRule dr = Docs.single(DR + """
        spec:
          host: jobs-api
          trafficPolicy:
            loadBalancer:
              simple: LEAST_REQUEST
              localityLbSetting: {failover: [{from: eu-west, to: eu-central}]}
            connectionPool:
              tcp: {maxConnections: 100, connectTimeout: 2s}
              http: {http1MaxPendingRequests: 10, http2MaxRequests: 1000, maxRetries: 3}
            outlierDetection: {consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s, maxEjectionPercent: 50}
            tls: {mode: ISTIO_MUTUAL}
          subsets:
          - name: v1
            labels: {version: v1}
          - name: v2
            labels: {version: v2}
            trafficPolicy:
              loadBalancer: {consistentHash: {httpCookie: {name: session}}}
              tls: {mode: DISABLE}
        """, DestinationRule.class);
    assertThat(dr.host()).isEqualTo("jobs-api");
    TrafficPolicy p = dr.trafficPolicy().orElseThrow();
    assertThat(p.loadBalancer().orElseThrow().simple()).contains(TrafficPolicy.SimpleLb.LEAST_REQUEST);
    assertThat(p.loadBalancer().orElseThrow().failover()).containsExactly(new TrafficPolicy.Failover("eu-west", "eu-central"));
    assertThat(p.connectionPool()).contains(new TrafficPolicy.ConnectionPool(
        Optional.of(100), Optional.of(Duration.ofSeconds(2)), Optional.of(10), Optional.of(1000), Optional.of(3)));
    assertThat(p.outlierDetection()).contains(new TrafficPolicy.OutlierDetection(
        Optional.of(5), Optional.empty(), Optional.of(Duration.ofSeconds(10)), Optional.of(Duration.ofSeconds(30)), Optional.of(50)));
    assertThat(p.tls()).contains(TrafficPolicy.TlsMode.ISTIO_MUTUAL);
    TrafficPolicy v2 = p.overriddenBy(dr.subset("v2").orElseThrow().trafficPolicy().orElseThrow());
    assertThat(v2.loadBalancer().orElseThrow().consistentHash())
        .contains(new TrafficPolicy.ConsistentHash.Cookie("session"));
    assertThat(v2.tls()).contains(TrafficPolicy.TlsMode.DISABLE);
    assertThat(v2.outlierDetection()).isEqualTo(p.outlierDetection());
    assertThat(dr.subset("v1").orElseThrow().labels()).isEqualTo(Map.of("version", "v1"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      passthrough          | {host: a, trafficPolicy: {loadBalancer: {simple: PASSTHROUGH}}}     | spec.trafficPolicy.loadBalancer.simple: PASSTHROUGH is not supported by weft (it needs original-destination routing)
      tls SIMPLE           | {host: a, trafficPolicy: {tls: {mode: SIMPLE}}}                      | spec.trafficPolicy.tls.mode: mode SIMPLE is not supported by weft (expected: ISTIO_MUTUAL or DISABLE)
      tls MUTUAL           | {host: a, trafficPolicy: {tls: {mode: MUTUAL}}}                      | spec.trafficPolicy.tls.mode: mode MUTUAL is not supported by weft (expected: ISTIO_MUTUAL or DISABLE)
      port level settings  | {host: a, trafficPolicy: {portLevelSettings: []}}                    | spec.trafficPolicy.portLevelSettings: field is not supported by weft
      distribute           | {host: a, trafficPolicy: {loadBalancer: {localityLbSetting: {distribute: []}}}} | spec.trafficPolicy.loadBalancer.localityLbSetting.distribute: field is not supported by weft
      max per connection   | {host: a, trafficPolicy: {connectionPool: {http: {maxRequestsPerConnection: 1}}}} | spec.trafficPolicy.connectionPool.http.maxRequestsPerConnection: field is not supported by weft
      two hash keys        | {host: a, trafficPolicy: {loadBalancer: {consistentHash: {httpHeaderName: x, useSourceIp: true}}}} | spec.trafficPolicy.loadBalancer.consistentHash: exactly one of httpHeaderName, httpCookie or useSourceIp is required
      duplicate subset     | {host: a, subsets: [{name: v1}, {name: v1}]}                         | spec.subsets[1].name: duplicate subset "v1"
      cookie ttl           | {host: a, trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: s, ttl: 1h}}}}} | spec.trafficPolicy.loadBalancer.consistentHash.httpCookie.ttl: field is not supported by weft
      no host              | {subsets: []}                                                        | spec.host: required
      """)
  void destinationRuleRefusals(String rule, String spec, String error) {
    assertThat(Docs.errors(DR + "spec: " + spec)).containsExactly("test.yaml[0]: DestinationRule jobs/dr: " + error);
  }

  @Test
  void workloadAppAndProxyPortsDefaultAndOverride() throws Exception {
    String w = "apiVersion: weft.dev/v1alpha1\nkind: Workload\nmetadata: {name: w}\nspec: {addresses: [127.0.0.5], ports: [{port: 80}]";
    Workload defaults = Docs.single(w + "}", Workload.class);
    assertThat(defaults.app()).isEqualTo(new Workload.AppEndpoint(InetAddress.getByName("127.0.0.1"), 10_000));
    assertThat(defaults.proxy().outboundPort()).isEqualTo(15_001);
    Workload set = Docs.single(w + ", app: {address: 10.0.0.9, portOffset: 0}, proxy: {outboundPort: 16001}}", Workload.class);
    assertThat(set.app()).isEqualTo(new Workload.AppEndpoint(InetAddress.getByName("10.0.0.9"), 0));
    assertThat(set.proxy().outboundPort()).isEqualTo(16_001);
    assertThat(Docs.errors(w + ", app: {portOffset: 65500}}"))
        .containsExactly("test.yaml[0]: Workload default/w: spec.app.portOffset: port 80 + portOffset 65500 exceeds 65535");
    assertThat(Docs.errors(w + ", proxy: {outboundPort: 80}}"))
        .containsExactly("test.yaml[0]: Workload default/w: spec.proxy.outboundPort: port 80 is also a workload port");
  }

  @ParameterizedTest
  @CsvSource({"1s,1000", "500ms,500", "1.5s,1500", "1m30s,90000", "1h,3600000", "0,0", "250us,0"})
  void goDurations(String text, long millis) {
    assertThat(GoDuration.parse(text)).contains(Duration.ofMillis(millis).plusNanos(text.equals("250us") ? 250_000 : 0));
  }
}
