package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import io.envoyproxy.envoy.config.bootstrap.v3.Bootstrap;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.DataSource;
import io.envoyproxy.envoy.config.core.v3.TransportSocket;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Filter;
import io.envoyproxy.envoy.config.listener.v3.FilterChain;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.Secret;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.TlsCertificate;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.netty.channel.EventLoopGroup;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.controlplane.xds.ProxySnapshot;
import weft.proxy.config.ConfigException;
import weft.proxy.http.DrainSignal;
import weft.proxy.observe.AccessLogWriter;
import weft.proxy.observe.StatsStore;
import weft.proxy.server.BootstrapCompiler;
import weft.proxy.server.Transport;
import weft.proxy.upstream.UpstreamPools;

/**
 * The translator's output must be configuration weft's proxy accepts: every snapshot is compiled
 * with the proxy's own compilers. The proxy's xDS client resolves RDS, EDS and SDS before its
 * compilers see a resource; this test does the same resolution (route config inlined, EDS cluster
 * made STATIC with its ClusterLoadAssignment, SDS secrets inlined: {@code ROOTCA} from the
 * snapshot, {@code default} a test certificate).
 */
class ProxyCompilesTranslationTest {
  private static final String VS = "apiVersion: networking.istio.io/v1\nkind: VirtualService\nmetadata: {name: jobs, namespace: jobs}\n";
  private static final String DR = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: jobs, namespace: jobs}\n";

  private static Transport transport;
  private static EventLoopGroup workers;
  private static String certPem;
  private static String keyPem;

  @TempDir static Path dir;

  @BeforeAll
  static void setUp() throws Exception {
    transport = Transport.nio();
    workers = transport.newGroup(1);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair key = g.generateKeyPair();
    Instant now = Instant.now();
    var cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
        new JcaX509v3CertificateBuilder(new X500Name("CN=test"), BigInteger.ONE, Date.from(now.minus(1, ChronoUnit.HOURS)),
            Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name("CN=test"), key.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
            .build(new JcaContentSignerBuilder("SHA256withECDSA").build(key.getPrivate())));
    certPem = pem(cert);
    keyPem = pem(new JcaPKCS8Generator(key.getPrivate(), null));
  }

  @AfterAll
  static void tearDown() {
    workers.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
  }

  private static String pem(Object o) throws Exception {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    }
    return out.toString();
  }

  @Test
  void everyTranslatedSnapshotCompilesInWeftsProxy() throws Exception {
    String pa = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: w, namespace: jobs}\n"
        + "spec: {selector: {matchLabels: {version: v1}}, mtls: {mode: STRICT}, portLevelMtls: {5432: {mode: DISABLE}}}";
    String authz = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: jobs}\n"
        + "spec: {rules: [{from: [{source: {principals: [cluster.local/ns/social/sa/tweet]}}], to: [{operation: {methods: [GET], paths: [/jobs/*]}}]}]}";
    String dr = DR + """
        spec:
          host: jobs
          trafficPolicy:
            loadBalancer: {simple: LEAST_REQUEST, localityLbSetting: {failover: [{from: eu-west, to: eu-central}]}}
            connectionPool: {tcp: {maxConnections: 10, connectTimeout: 2s}, http: {http1MaxPendingRequests: 5, http2MaxRequests: 50, maxRetries: 2}}
            outlierDetection: {consecutive5xxErrors: 3, consecutiveGatewayErrors: 2, interval: 5s, baseEjectionTime: 30s, maxEjectionPercent: 50}
          subsets:
          - {name: v1, labels: {version: v1}, trafficPolicy: {loadBalancer: {consistentHash: {httpCookie: {name: s}}}}}
          - {name: v2, labels: {version: v2}, trafficPolicy: {tls: {mode: DISABLE}}}
        """;
    String vs = VS + """
        spec:
          hosts: [jobs]
          http:
          - match: [{uri: {regex: "/jobs/[0-9]+"}, ignoreUriCase: true, headers: {x-user: {prefix: a}}}]
            fault: {delay: {fixedDelay: 1s, percentage: {value: 0.5}}, abort: {httpStatus: 418, percentage: {value: 1}}}
            route: [{destination: {host: jobs, subset: v1}, weight: 80}, {destination: {host: jobs, subset: v2}, weight: 20, headers: {request: {set: {x-c: "1"}}}}]
            timeout: 2s
            retries: {attempts: 3, perTryTimeout: 500ms, retryOn: "5xx,reset,connect-failure,retriable-4xx,503"}
            mirror: {host: tweet.social.svc.cluster.local}
            mirrorPercentage: {value: 50}
            headers: {request: {set: {x-a: "1"}, add: {x-b: "2"}, remove: [x-c]}, response: {remove: [server]}}
          - match: [{uri: {prefix: /v1/}}]
            rewrite: {uri: /, authority: jobs.internal}
            route: [{destination: {host: jobs, subset: v1}}]
          - route: [{destination: {host: jobs}}]
            retries: {attempts: 2}
        """;
    // TCP and TLS service ports: outbound tcp_proxy listeners, SNI filter chains behind a tls_inspector
    String tls = "apiVersion: v1\nkind: Service\nmetadata: {name: feed, namespace: social}\n"
        + "spec: {selector: {app: tweet}, ports: [{name: https, port: 8443, targetPort: 80}, {name: tls-x, port: 9443, targetPort: 80},"
        + " {name: redis, port: 6379, targetPort: 80}]}";
    String tls2 = "apiVersion: v1\nkind: Service\nmetadata: {name: search, namespace: jobs}\n"
        + "spec: {selector: {app: jobs}, ports: [{name: https, port: 8443, targetPort: 8080}]}";
    // with flows on: every sidecar's gRPC access loggers and the collector's cluster compile too
    TranslateOptions options = new TranslateOptions("cluster.local", "istio-system", "cluster.local", certPem)
        .withFlowCollector(new java.net.InetSocketAddress("127.0.0.1", 15010));
    Translator.Translation t = Translator.translateAll(Mesh.resources(Mesh.BASE, pa, authz, dr, vs, tls, tls2), options);
    assertThat(t.problems()).isEmpty();
    assertThat(t.snapshots()).hasSize(3);
    assertThat(t.snapshots().get("jobs/jobs-v2").listeners()).extracting(Listener::getName)
        .contains("outbound_127.0.0.7_5432", "outbound_127.0.0.7_6379", "outbound_127.0.0.7_8443", "outbound_127.0.0.7_9443");
    for (Map.Entry<String, ProxySnapshot> e : t.snapshots().entrySet()) {
      compile(e.getKey(), e.getValue());
    }
  }

  @Test
  void theHarnessSeesTheProxysRefusals() throws Exception {
    TranslateOptions options = new TranslateOptions("cluster.local", "istio-system", "cluster.local", certPem);
    ProxySnapshot s = Translator.translate(Mesh.resources(Mesh.BASE), options).get("social/tweet-1");
    Listener bad = s.listeners().get(0).toBuilder().setPerConnectionBufferLimitBytes(
        com.google.protobuf.UInt32Value.of(1)).build();
    ProxySnapshot broken = ProxySnapshot.of(java.util.List.of(bad), s.routes(), s.clusters(), s.endpoints(), s.secrets());
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> compile("social/tweet-1", broken))
        .hasMessageContaining("per_connection_buffer_limit_bytes");
  }

  private void compile(String node, ProxySnapshot s) throws Exception {
    Map<String, RouteConfiguration> routes = s.routes().stream().collect(Collectors.toMap(RouteConfiguration::getName, Function.identity()));
    Map<String, ClusterLoadAssignment> endpoints = s.endpoints().stream()
        .collect(Collectors.toMap(ClusterLoadAssignment::getClusterName, Function.identity()));
    String root = s.secrets().stream().filter(x -> x.getName().equals("ROOTCA")).findFirst()
        .map(Secret::getValidationContext).orElseThrow().getTrustedCa().getInlineString();
    Bootstrap.Builder b = Bootstrap.newBuilder();
    for (Listener l : s.listeners()) {
      b.getStaticResourcesBuilder().addListeners(resolve(l, routes, root));
    }
    for (Cluster c : s.clusters()) {
      b.getStaticResourcesBuilder().addClusters(resolve(c, endpoints, root));
    }
    StatsStore stats = new StatsStore();
    try (AccessLogWriter logs = new AccessLogWriter(stats, 1024)) {
      BootstrapCompiler.compile(b.build(), new BootstrapCompiler.Context(
          workers, stats, new UpstreamPools(transport), new DrainSignal(), dir, logs));
    } catch (ConfigException e) {
      fail(node + ": weft's proxy refuses the translation: " + e.getMessage() + "\n" + e.problems());
    }
  }

  private static Listener resolve(Listener l, Map<String, RouteConfiguration> routes, String root) throws Exception {
    Listener.Builder b = l.toBuilder();
    for (FilterChain.Builder fc : b.getFilterChainsBuilderList()) {
      if (fc.hasTransportSocket()) {
        DownstreamTlsContext d = fc.getTransportSocket().getTypedConfig().unpack(DownstreamTlsContext.class);
        fc.setTransportSocket(socket(d.toBuilder().setCommonTlsContext(inline(d.getCommonTlsContext(), root)).build()));
      }
      for (Filter.Builder f : fc.getFiltersBuilderList()) {
        if (f.getTypedConfig().is(HttpConnectionManager.class)) {
          HttpConnectionManager hcm = f.getTypedConfig().unpack(HttpConnectionManager.class);
          if (hcm.hasRds()) {
            assertThat(routes).containsKey(hcm.getRds().getRouteConfigName());
            hcm = hcm.toBuilder().setRouteConfig(routes.get(hcm.getRds().getRouteConfigName())).build();
          }
          f.setTypedConfig(Any.pack(hcm));
        }
      }
    }
    return b.build();
  }

  private static Cluster resolve(Cluster c, Map<String, ClusterLoadAssignment> endpoints, String root) throws Exception {
    Cluster.Builder b = c.toBuilder();
    if (c.getType() == Cluster.DiscoveryType.EDS) {
      assertThat(endpoints).containsKey(c.getEdsClusterConfig().getServiceName());
      b.clearEdsClusterConfig().setType(Cluster.DiscoveryType.STATIC)
          .setLoadAssignment(endpoints.get(c.getEdsClusterConfig().getServiceName()));
    }
    if (c.hasTransportSocket()) {
      UpstreamTlsContext u = c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
      b.setTransportSocket(socket(u.toBuilder().setCommonTlsContext(inline(u.getCommonTlsContext(), root)).build()));
    }
    return b.build();
  }

  private static TransportSocket socket(com.google.protobuf.Message m) {
    return TransportSocket.newBuilder().setName("envoy.transport_sockets.tls").setTypedConfig(Any.pack(m)).build();
  }

  /** What the proxy's SDS client does: SDS references replaced by the secrets they name. */
  private static CommonTlsContext inline(CommonTlsContext c, String root) throws InvalidProtocolBufferException {
    assertThat(c.getTlsCertificateSdsSecretConfigsList()).extracting(x -> x.getName()).containsExactly("default");
    CommonTlsContext.Builder b = c.toBuilder().clearTlsCertificateSdsSecretConfigs()
        .addTlsCertificates(TlsCertificate.newBuilder()
            .setCertificateChain(DataSource.newBuilder().setInlineString(certPem))
            .setPrivateKey(DataSource.newBuilder().setInlineString(keyPem)));
    CertificateValidationContext.Builder v;
    if (c.hasCombinedValidationContext()) {
      assertThat(c.getCombinedValidationContext().getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
      v = c.getCombinedValidationContext().getDefaultValidationContext().toBuilder();
      b.clearCombinedValidationContext();
    } else {
      assertThat(c.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
      v = CertificateValidationContext.newBuilder();
      b.clearValidationContextSdsSecretConfig();
    }
    return b.setValidationContext(v.setTrustedCa(DataSource.newBuilder().setInlineString(root))).build();
  }
}
