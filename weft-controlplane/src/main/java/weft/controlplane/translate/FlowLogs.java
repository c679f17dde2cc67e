package weft.controlplane.translate;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.config.accesslog.v3.AccessLog;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.ApiVersion;
import io.envoyproxy.envoy.config.core.v3.GrpcService;
import io.envoyproxy.envoy.config.core.v3.Http2ProtocolOptions;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.CommonGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.HttpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.access_loggers.grpc.v3.TcpGrpcAccessLogConfig;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import weft.controlplane.ca.ServingCertificate;

/**
 * Where sidecars send flows: Envoy's gRPC access loggers ({@code envoy.access_loggers.http_grpc} on
 * every HCM, {@code tcp_grpc} on tcp_proxy and on inbound listeners) streaming to the control
 * plane's AccessLogService through cluster {@value #CLUSTER} (STATIC, HTTP/2 as gRPC needs, the
 * control plane's advertised xDS address). {@code log_name} says where a flow was observed:
 * {@code inbound}, {@code outbound}, or {@code inbound-listener} (every connection an inbound
 * listener closes, which is how connections denied by network RBAC are seen: Envoy's RBAC sets no
 * response flag an access log filter could select, so the control plane keeps only the denied ones).
 * Without a collector ({@link #NONE}) nothing is logged.
 */
final class FlowLogs {
  static final String CLUSTER = "weft-control-plane";
  static final String HTTP_GRPC = "envoy.access_loggers.http_grpc";
  static final String TCP_GRPC = "envoy.access_loggers.tcp_grpc";
  /** Short, so that {@code weft flows --follow} feels live; Envoy's default is 1 s. */
  static final Duration FLUSH = Duration.ofMillis(250);
  static final FlowLogs NONE = new FlowLogs(null, null);
  // the log names the control plane's enricher reads
  static final String INBOUND = weft.controlplane.flows.FlowEnricher.INBOUND;
  static final String OUTBOUND = weft.controlplane.flows.FlowEnricher.OUTBOUND;
  static final String INBOUND_LISTENER = weft.controlplane.flows.FlowEnricher.INBOUND_LISTENER;

  private final InetSocketAddress collector;
  private final String controlPlaneId;

  private FlowLogs(InetSocketAddress collector, String controlPlaneId) {
    this.collector = collector;
    this.controlPlaneId = controlPlaneId;
  }

  /**
   * @param trustDomain where the control plane's SPIFFE ID lives ({@link
   *     ServingCertificate#spiffeId}): the collector's certificate must carry it
   */
  static FlowLogs of(Optional<InetSocketAddress> collector, String trustDomain) {
    return collector.map(c -> new FlowLogs(c, ServingCertificate.spiffeId(trustDomain))).orElse(NONE);
  }

  List<AccessLog> http(String logName) {
    if (collector == null) {
      return List.of();
    }
    return List.of(AccessLog.newBuilder().setName(HTTP_GRPC).setTypedConfig(Any.pack(
        HttpGrpcAccessLogConfig.newBuilder().setCommonConfig(common(logName)).build())).build());
  }

  List<AccessLog> tcp(String logName) {
    if (collector == null) {
      return List.of();
    }
    return List.of(AccessLog.newBuilder().setName(TCP_GRPC).setTypedConfig(Any.pack(
        TcpGrpcAccessLogConfig.newBuilder().setCommonConfig(common(logName)).build())).build());
  }

  /** The collector's cluster, when there is a collector. */
  Optional<Cluster> cluster() {
    if (collector == null) {
      return Optional.empty();
    }
    return Optional.of(Cluster.newBuilder()
        .setName(CLUSTER)
        .setType(Cluster.DiscoveryType.STATIC)
        .setConnectTimeout(Envoy.duration(Duration.ofSeconds(5)))
        // the collector listens on the mTLS xDS port: present the workload certificate (SDS
        // default), accept only the control plane's SPIFFE ID chaining to ROOTCA. Envoy sets ALPN
        // h2 itself for an HTTP/2 cluster
        .setTransportSocket(Envoy.tls(Clusters.upstreamTls(List.of(controlPlaneId))))
        // gRPC is HTTP/2: Envoy needs the cluster told so (envoy_grpc clusters)
        .putTypedExtensionProtocolOptions("envoy.extensions.upstreams.http.v3.HttpProtocolOptions",
            Any.pack(HttpProtocolOptions.newBuilder().setExplicitHttpConfig(
                HttpProtocolOptions.ExplicitHttpConfig.newBuilder().setHttp2ProtocolOptions(
                    Http2ProtocolOptions.getDefaultInstance())).build()))
        .setLoadAssignment(ClusterLoadAssignment.newBuilder()
            .setClusterName(CLUSTER)
            .addEndpoints(LocalityLbEndpoints.newBuilder()
                .addLbEndpoints(LbEndpoint.newBuilder().setEndpoint(
                    io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                        .setAddress(Envoy.address(collector.getAddress(), collector.getPort()))))))
        .build());
  }

  private static CommonGrpcAccessLogConfig common(String logName) {
    return CommonGrpcAccessLogConfig.newBuilder()
        .setLogName(logName)
        .setGrpcService(GrpcService.newBuilder().setEnvoyGrpc(GrpcService.EnvoyGrpc.newBuilder().setClusterName(CLUSTER)))
        .setTransportApiVersion(ApiVersion.V3)
        .setBufferFlushInterval(Envoy.duration(FLUSH))
        .build();
  }
}
