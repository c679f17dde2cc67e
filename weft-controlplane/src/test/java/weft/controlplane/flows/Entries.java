package weft.controlplane.flows;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import com.google.protobuf.UInt32Value;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.RequestMethod;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.ConnectionProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPRequestProperties;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPResponseProperties;
import io.envoyproxy.envoy.data.accesslog.v3.ResponseFlags;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import java.util.Map;
import java.util.TreeMap;
import weft.api.ResourceSet;
import weft.api.load.LoadResult;
import weft.api.load.ResourceLoader;
import weft.controlplane.store.StoreState;

/**
 * The demo's mesh (jobs-api, tweet, recruiter on 127.0.50.x, STRICT mTLS, stage 3's L7 policy, and a
 * deny rule for an intruder) and Envoy access log entries as weft's proxies fill them.
 */
final class Entries {
  static final String MESH = """
      apiVersion: v1
      kind: Namespace
      metadata: {name: default}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: jobs-api, namespace: default, labels: {app: jobs-api}}
      spec:
        serviceAccount: jobs-api
        addresses: [127.0.50.1]
        ports: [{name: http, port: 80, protocol: TCP, appProtocol: http}]
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: tweet, namespace: default, labels: {app: tweet}}
      spec: {serviceAccount: tweet, addresses: [127.0.50.2]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: recruiter, namespace: default, labels: {app: recruiter}}
      spec: {serviceAccount: recruiter, addresses: [127.0.50.3]}
      ---
      apiVersion: weft.dev/v1alpha1
      kind: Workload
      metadata: {name: intruder, namespace: default, labels: {app: intruder}}
      spec: {serviceAccount: intruder, addresses: [127.0.50.4]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: jobs-api, namespace: default}
      spec:
        selector: {app: jobs-api}
        ports: [{name: http, port: 80, targetPort: http, protocol: TCP}]
      ---
      apiVersion: security.istio.io/v1
      kind: PeerAuthentication
      metadata: {name: default, namespace: default}
      spec: {mtls: {mode: STRICT}}
      ---
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: {name: jobs-api, namespace: default}
      spec:
        endpointSelector: {matchLabels: {app: jobs-api}}
        ingress:
        - fromEndpoints: [{matchLabels: {app: tweet}}]
          toPorts:
          - ports: [{port: "80", protocol: TCP}]
            rules:
              http:
              - {method: GET, path: "/jobs/[0-9]+"}
        - fromEndpoints: [{matchLabels: {app: recruiter}}]
          toPorts:
          - ports: [{port: "80", protocol: TCP}]
            rules:
              http:
              - {method: GET, path: "/jobs/[0-9]+"}
              - {method: POST, path: "/jobs"}
      ---
      apiVersion: cilium.io/v2
      kind: CiliumNetworkPolicy
      metadata: {name: no-intruder, namespace: default}
      spec:
        endpointSelector: {matchLabels: {app: jobs-api}}
        ingressDeny:
        - fromEndpoints: [{matchLabels: {app: intruder}}]
      """;

  static final String TWEET_ID = "spiffe://cluster.local/ns/default/sa/tweet";
  static final String JOBS_CLUSTER = "outbound|80||jobs-api.default.svc.cluster.local";

  private Entries() {}

  static StoreState state() {
    LoadResult r = ResourceLoader.parse("mesh.yaml", MESH);
    assertThat(r.errors()).as("fixture errors").isEmpty();
    ResourceSet rs = r.resources();
    return new StoreState(1, rs, new TreeMap<>(), Map.of());
  }

  static Address addr(String ip, int port) {
    return Address.newBuilder().setSocketAddress(SocketAddress.newBuilder().setAddress(ip).setPortValue(port)).build();
  }

  static TLSProperties peer(String spiffeId) {
    return TLSProperties.newBuilder().setTlsVersion(TLSProperties.TLSVersion.TLSv1_3)
        .setPeerCertificateProperties(TLSProperties.CertificateProperties.newBuilder()
            .addSubjectAltName(TLSProperties.CertificateProperties.SubjectAltName.newBuilder().setUri(spiffeId)))
        .build();
  }

  /** A request tweet (127.0.50.2) sent to jobs-api's inbound listener, over mTLS. */
  static HTTPAccessLogEntry inbound(String method, String path, int status, String details) {
    return HTTPAccessLogEntry.newBuilder()
        .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP11)
        .setCommonProperties(AccessLogCommon.newBuilder()
            .setStartTime(Timestamp.newBuilder().setSeconds(1_800_000_000L))
            .setDownstreamRemoteAddress(addr("127.0.50.2", 40000))
            .setDownstreamLocalAddress(addr("127.0.50.1", 80))
            .setTlsProperties(peer(TWEET_ID))
            .setUpstreamCluster("inbound|80||")
            .setTimeToLastDownstreamTxByte(com.google.protobuf.Duration.newBuilder().setNanos(2_500_000)))
        .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.valueOf(method))
            .setPath(path).setAuthority("jobs-api").setRequestHeadersBytes(100))
        .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(status))
            .setResponseCodeDetails(details).setResponseHeadersBytes(50).setResponseBodyBytes(19))
        .build();
  }

  /** A request tweet's app sent to its sidecar's outbound listener. */
  static HTTPAccessLogEntry outbound(String method, String path, int status, String details, ResponseFlags flags) {
    return HTTPAccessLogEntry.newBuilder()
        .setProtocolVersion(HTTPAccessLogEntry.HTTPVersion.HTTP11)
        .setCommonProperties(AccessLogCommon.newBuilder()
            .setStartTime(Timestamp.newBuilder().setSeconds(1_800_000_000L))
            .setDownstreamRemoteAddress(addr("127.0.0.1", 50000))
            .setDownstreamLocalAddress(addr("127.0.50.2", 15001))
            .setUpstreamRemoteAddress(addr("127.0.50.1", 80))
            .setUpstreamCluster(JOBS_CLUSTER)
            .setResponseFlags(flags))
        .setRequest(HTTPRequestProperties.newBuilder().setRequestMethod(RequestMethod.valueOf(method))
            .setPath(path).setAuthority("jobs-api"))
        .setResponse(HTTPResponseProperties.newBuilder().setResponseCode(UInt32Value.of(status))
            .setResponseCodeDetails(details))
        .build();
  }

  /** A connection to jobs-api's inbound listener from {@code ip}, closed with {@code details}. */
  static TCPAccessLogEntry connection(String ip, String spiffeId, String details) {
    AccessLogCommon.Builder c = AccessLogCommon.newBuilder()
        .setStartTime(Timestamp.newBuilder().setSeconds(1_800_000_000L))
        .setDownstreamRemoteAddress(addr(ip, 41000))
        .setDownstreamLocalAddress(addr("127.0.50.1", 80))
        .setConnectionTerminationDetails(details);
    if (spiffeId != null) {
      c.setTlsProperties(peer(spiffeId));
    }
    return TCPAccessLogEntry.newBuilder().setCommonProperties(c)
        .setConnectionProperties(ConnectionProperties.newBuilder().setReceivedBytes(10).setSentBytes(0)).build();
  }
}
