package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.SubjectAltNameMatcher;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.controlplane.xds.ProxySnapshot;

/** Sidecars stream flows to the control plane with Envoy's gRPC access loggers (docs/controlplane.md, flows). */
class FlowLogsTranslationTest {
  static final TranslateOptions WITH_FLOWS = Mesh.OPTIONS.withFlowCollector(new InetSocketAddress("127.0.0.1", 15010));

  static ProxySnapshot jobs(TranslateOptions options) {
    return Translator.translateAll(Mesh.resources(Mesh.BASE), options).snapshots().get("jobs/jobs-v1");
  }

  static CommonGrpcAccessLogConfig http(List<AccessLog> logs) throws Exception {
    assertThat(logs).singleElement().satisfies(l -> assertThat(l.getName()).isEqualTo("envoy.access_loggers.http_grpc"));
    return logs.getFirst().getTypedConfig().unpack(HttpGrpcAccessLogConfig.class).getCommonConfig();
  }

  static CommonGrpcAccessLogConfig tcp(List<AccessLog> logs) throws Exception {
    assertThat(logs).singleElement().satisfies(l -> assertThat(l.getName()).isEqualTo("envoy.access_loggers.tcp_grpc"));
    return logs.getFirst().getTypedConfig().unpack(TcpGrpcAccessLogConfig.class).getCommonConfig();
  }

  @Test
  void everyHcmLogsRequestsNamedByWhereTheyWereObserved() throws Exception {
    ProxySnapshot s = jobs(WITH_FLOWS);
    HttpConnectionManager inbound = Mesh.listener(s, "inbound_127.0.0.6_8080").getFilterChains(0).getFiltersList().stream()
        .filter(f -> f.getTypedConfig().is(HttpConnectionManager.class)).findFirst().orElseThrow()
        .getTypedConfig().unpack(HttpConnectionManager.class);
    CommonGrpcAccessLogConfig in = http(inbound.getAccessLogList());
    assertThat(in.getLogName()).isEqualTo("inbound");
    assertThat(in.getGrpcService().getEnvoyGrpc().getClusterName()).isEqualTo("weft-control-plane");
    assertThat(in.getTransportApiVersion()).isEqualTo(ApiVersion.V3);
    assertThat(in.getBufferFlushInterval().getNanos()).as("250 ms: flows feel live").isEqualTo(250_000_000);
    HttpConnectionManager outbound = Mesh.listener(s, "outbound_127.0.0.6_15001").getFilterChains(0).getFilters(0)
        .getTypedConfig().unpack(HttpConnectionManager.class);
    assertThat(http(outbound.getAccessLogList()).getLogName()).isEqualTo("outbound");
  }

  @Test
  void tcpProxyChainsAndInboundListenersLogConnections() throws Exception {
    ProxySnapshot s = jobs(WITH_FLOWS);
    Listener db = Mesh.listener(s, "inbound_127.0.0.6_5432");
    TcpProxy proxy = db.getFilterChains(0).getFiltersList().stream().filter(f -> f.getTypedConfig().is(TcpProxy.class))
        .findFirst().orElseThrow().getTypedConfig().unpack(TcpProxy.class);
    assertThat(tcp(proxy.getAccessLogList()).getLogName()).isEqualTo("inbound");
    // network RBAC closes denied connections before HCM or tcp_proxy sees them: the listener logs them
    assertThat(tcp(db.getAccessLogList()).getLogName()).isEqualTo("inbound-listener");
    assertThat(tcp(Mesh.listener(s, "inbound_127.0.0.6_8080").getAccessLogList()).getLogName()).isEqualTo("inbound-listener");
    assertThat(Mesh.listener(s, "outbound_127.0.0.6_15001").getAccessLogList()).isEmpty();
  }

  @Test
  void theCollectorIsAStaticHttp2ClusterAtTheControlPlanesXdsAddress() throws Exception {
    Cluster c = Mesh.cluster(jobs(WITH_FLOWS), "weft-control-plane");
    assertThat(c.getType()).isEqualTo(Cluster.DiscoveryType.STATIC);
    assertThat(c.getLoadAssignment().getEndpoints(0).getLbEndpoints(0).getEndpoint().getAddress().getSocketAddress())
        .satisfies(a -> {
          assertThat(a.getAddress()).isEqualTo("127.0.0.1");
          assertThat(a.getPortValue()).isEqualTo(15010);
        });
    HttpProtocolOptions o = c.getTypedExtensionProtocolOptionsOrThrow("envoy.extensions.upstreams.http.v3.HttpProtocolOptions")
        .unpack(HttpProtocolOptions.class);
    assertThat(o.getExplicitHttpConfig().hasHttp2ProtocolOptions()).isTrue();
    // mTLS as the xDS stream: the workload certificate, the control plane's SPIFFE ID against ROOTCA
    UpstreamTlsContext tls = c.getTransportSocket().getTypedConfig().unpack(UpstreamTlsContext.class);
    assertThat(c.getTransportSocket().getName()).isEqualTo("envoy.transport_sockets.tls");
    assertThat(tls.getCommonTlsContext().getTlsCertificateSdsSecretConfigs(0).getName()).isEqualTo("default");
    var v = tls.getCommonTlsContext().getCombinedValidationContext();
    assertThat(v.getValidationContextSdsSecretConfig().getName()).isEqualTo("ROOTCA");
    assertThat(v.getDefaultValidationContext().getMatchTypedSubjectAltNamesList())
        .singleElement().satisfies(m -> {
          assertThat(m.getSanType()).isEqualTo(SubjectAltNameMatcher.SanType.URI);
          assertThat(m.getMatcher().getExact()).isEqualTo("spiffe://cluster.local/ns/weft-system/sa/weft-controlplane");
        });
  }

  @Test
  void withoutACollectorNothingIsLoggedAndProxylessClientsNeverGetLoggers() {
    ProxySnapshot s = jobs(Mesh.OPTIONS);
    assertThat(Mesh.clusterNames(s)).doesNotContain("weft-control-plane");
    assertThat(s.listeners()).allSatisfy(l -> assertThat(l.getAccessLogList()).isEmpty());
    ProxySnapshot proxyless = Translator.translateAll(Mesh.resources(Mesh.BASE), WITH_FLOWS).proxyless();
    assertThat(proxyless.clusters()).extracting(Cluster::getName).doesNotContain("weft-control-plane");
    assertThat(proxyless.listeners().toString()).doesNotContain("access_loggers");
  }
}
