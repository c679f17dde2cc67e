package weft.controlplane.flows;

import com.google.protobuf.Timestamp;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.data.accesslog.v3.AccessLogCommon;
import io.envoyproxy.envoy.data.accesslog.v3.HTTPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TCPAccessLogEntry;
import io.envoyproxy.envoy.data.accesslog.v3.TLSProperties;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import weft.api.Workload;
import weft.controlplane.flows.FlowRecord.Destination;
import weft.controlplane.flows.FlowRecord.Direction;
import weft.controlplane.flows.FlowRecord.Source;
import weft.controlplane.flows.FlowRecord.Verdict;
import weft.controlplane.registry.MeshService;
import weft.controlplane.store.StoreState;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.Endpoint;
import weft.policy.engine.Flow;
import weft.policy.model.HttpRequest;
import weft.policy.model.IpAddress;

/**
 * Turns Envoy access log entries ({@code HTTPAccessLogEntry}, {@code TCPAccessLogEntry}) into
 * {@link FlowRecord}s with the store's current state: the reporting node id names one end, peer
 * SPIFFE IDs and addresses name the other, {@code upstream_cluster} names the service, and {@link
 * DecidingRule} names the rule.
 *
 * <p>Log names (the translator's): {@code inbound} (the destination's sidecar, HCM and tcp_proxy),
 * {@code outbound} (the source's sidecar), {@code inbound-listener} (every connection an inbound
 * listener closes, logged for the network RBAC denials that no HCM or tcp_proxy sees: only those
 * become records). Thread-safe; the mesh index is rebuilt once per store revision.
 */
public final class FlowEnricher {
  public static final String INBOUND = "inbound";
  public static final String OUTBOUND = "outbound";
  public static final String INBOUND_LISTENER = "inbound-listener";

  private final Supplier<StoreState> state;
  private final EngineOptions options;
  private final String clusterDomain;
  private volatile MeshView mesh;

  public FlowEnricher(Supplier<StoreState> state, EngineOptions options, String clusterDomain) {
    this.state = state;
    this.options = options;
    this.clusterDomain = clusterDomain;
  }

  private MeshView mesh() {
    MeshView m = mesh;
    if (m != null && m.revision == state.get().revision()) {
      return m;
    }
    // building compiles the policy set: the streams that see a new revision together build it once
    synchronized (this) {
      StoreState s = state.get();
      m = mesh;
      if (m == null || m.revision != s.revision()) {
        m = new MeshView(s.revision(), s.resources(), options, clusterDomain);
        mesh = m;
      }
      return m;
    }
  }

  /** The record of one HTTP request reported by {@code node} on log {@code logName}. */
  public Optional<FlowRecord> http(String node, String logName, HTTPAccessLogEntry e) {
    AccessLogCommon c = e.getCommonProperties();
    String method = e.getRequest().getRequestMethod().name();
    FlowRecord.Http http = new FlowRecord.Http(method.equals("METHOD_UNSPECIFIED") ? "-" : method,
        e.getRequest().getPath(), e.getResponse().hasResponseCode() ? e.getResponse().getResponseCode().getValue() : 0);
    String details = e.getResponse().getResponseCodeDetails();
    Verdict verdict = details.startsWith("rbac_access_denied") ? Verdict.DENIED
        : !ResponseFlags.errors(c.getResponseFlags()).isEmpty()
            || (http.status() >= 500 && !details.isEmpty() && !details.equals("via_upstream")) ? Verdict.ERROR
        : Verdict.FORWARDED;
    String protocol = switch (e.getProtocolVersion()) {
      case HTTP10 -> "http/1.0";
      case HTTP11 -> "http/1.1";
      case HTTP2 -> "http/2";
      case HTTP3 -> "http/3";
      case PROTOCOL_UNSPECIFIED, UNRECOGNIZED -> "http";
    };
    long received = e.getRequest().getRequestHeadersBytes() + e.getRequest().getRequestBodyBytes();
    long sent = e.getResponse().getResponseHeadersBytes() + e.getResponse().getResponseBodyBytes();
    HttpRequest request = new HttpRequest(http.method(), http.path(), e.getRequest().getAuthority(), Map.of());
    return Optional.of(record(node, direction(logName, c), c, protocol, http, verdict, details, received, sent,
        Optional.of(request), e.getRequest().getAuthority()));
  }

  /** The record of one TCP connection; empty for a listener-level entry of a connection not denied. */
  public Optional<FlowRecord> tcp(String node, String logName, TCPAccessLogEntry e) {
    AccessLogCommon c = e.getCommonProperties();
    String details = c.getConnectionTerminationDetails();
    boolean denied = details.startsWith("rbac_access_denied");
    // a denied connection is recorded once, from the listener's entry (the translator gives every
    // inbound listener one); the listener's entries of connections not denied add nothing
    boolean listener = logName.equals(INBOUND_LISTENER);
    if ((listener && !denied) || (denied && logName.equals(INBOUND))) {
      return Optional.empty();
    }
    Verdict verdict = denied ? Verdict.DENIED
        : !ResponseFlags.errors(c.getResponseFlags()).isEmpty() ? Verdict.ERROR : Verdict.FORWARDED;
    return Optional.of(record(node, direction(logName, c), c, "tcp", null, verdict, details,
        e.getConnectionProperties().getReceivedBytes(), e.getConnectionProperties().getSentBytes(), Optional.empty(), ""));
  }

  private static Direction direction(String logName, AccessLogCommon c) {
    if (logName.startsWith(INBOUND)) {
      return Direction.INGRESS;
    }
    if (logName.startsWith(OUTBOUND)) {
      return Direction.EGRESS;
    }
    return c.getUpstreamCluster().startsWith("inbound|") ? Direction.INGRESS : Direction.EGRESS;
  }

  private FlowRecord record(String node, Direction direction, AccessLogCommon c, String protocol, FlowRecord.Http http,
      Verdict verdict, String details, long received, long sent, Optional<HttpRequest> request, String authority) {
    MeshView m = mesh();
    Optional<Workload> reporter = m.node(node);
    String peer = peerSpiffeId(c.getTlsProperties());
    InetAddress remote = ip(c.getDownstreamRemoteAddress());
    Source source;
    Destination destination;
    Optional<Workload> src;
    Optional<Workload> dst;
    if (direction == Direction.INGRESS) {
      src = peer != null ? m.bySpiffeId(peer, remote) : m.byAddress(remote);
      if (src.isEmpty() && peer != null) {
        src = m.byAddress(remote);
      }
      dst = reporter;
      source = new Source(src.map(w -> w.metadata().namespace()).orElse(namespaceOf(peer)),
          src.map(w -> w.metadata().name()).orElse(null), peer != null ? peer : src.map(m::spiffeId).orElse(null),
          address(c.getDownstreamRemoteAddress()));
      Address local = c.getDownstreamLocalAddress();
      destination = new Destination(dst.map(w -> w.metadata().namespace()).orElse(null),
          dst.map(w -> w.metadata().name()).orElse(null), null, host(local), port(local));
    } else {
      src = reporter;
      dst = m.byAddress(ip(c.getUpstreamRemoteAddress()));
      source = new Source(src.map(w -> w.metadata().namespace()).orElse(null), src.map(w -> w.metadata().name()).orElse(null),
          src.map(m::spiffeId).orElse(null), address(c.getDownstreamRemoteAddress()));
      Optional<MeshService> service = service(m, c.getUpstreamCluster(), authority, src);
      int port = servicePort(c.getUpstreamCluster());
      Address upstream = c.getUpstreamRemoteAddress();
      destination = new Destination(
          service.map(MeshService::namespace).or(() -> dst.map(w -> w.metadata().namespace())).orElse(null),
          dst.map(w -> w.metadata().name()).orElse(null), service.map(MeshService::name).orElse(null),
          host(upstream), port > 0 ? port : port(upstream));
    }
    Optional<Flow> flow = flow(src, dst, remote, direction == Direction.INGRESS ? port(c.getDownstreamLocalAddress())
        : port(c.getUpstreamRemoteAddress()), direction == Direction.INGRESS, peer, request);
    DecidingRule.Named named = switch (verdict) {
      case DENIED -> DecidingRule.denied(m, direction == Direction.INGRESS ? reporter.orElse(null) : null, details, flow);
      case FORWARDED -> DecidingRule.forwarded(m, flow);
      case ERROR -> new DecidingRule.Named(null, errorReason(c, details));
    };
    return new FlowRecord(time(c.getStartTime()), direction, source, destination, protocol, http, verdict,
        named.policy(), named.reason(), latency(c), direction == Direction.INGRESS ? peer : null, node, received, sent);
  }

  /** The flow as the policy engine judges it: both ends known (a workload, or the source's address). */
  private static Optional<Flow> flow(Optional<Workload> src, Optional<Workload> dst, InetAddress remote, int port,
      boolean ingress, String peer, Optional<HttpRequest> request) {
    if (dst.isEmpty() || port <= 0) {
      return Optional.empty();
    }
    Endpoint source;
    if (src.isPresent()) {
      source = new Endpoint.Workload(src.get().metadata().namespace(), src.get().metadata().name());
    } else if (remote != null) {
      source = new Endpoint.Ip(IpAddress.of(remote.getHostAddress()));
    } else {
      return Optional.empty();
    }
    Flow f = Flow.tcp(source, new Endpoint.Workload(dst.get().metadata().namespace(), dst.get().metadata().name()), port);
    if (peer != null) {
      f = f.withPrincipal(peer);
    } else if (ingress) {
      f = f.withMtls(false);
    }
    return Optional.of(request.isPresent() ? f.withHttp(request.get()) : f);
  }

  private static String errorReason(AccessLogCommon c, String details) {
    String flags = String.join(",", ResponseFlags.errors(c.getResponseFlags()));
    if (flags.isEmpty()) {
      return details;
    }
    return details.isEmpty() ? "response flags " + flags : "response flags " + flags + "; " + details;
  }

  /** {@code outbound|<port>|<subset>|<fqdn>} names the service; else the request's authority does. */
  private static Optional<MeshService> service(MeshView m, String cluster, String authority, Optional<Workload> src) {
    String[] parts = cluster.split("\\|", -1);
    if (parts.length == 4 && parts[0].equals("outbound")) {
      return m.registry.byFqdn(parts[3]);
    }
    if (!authority.isEmpty() && src.isPresent()) {
      int colon = authority.lastIndexOf(':');
      String host = colon > 0 && authority.indexOf(']') < colon ? authority.substring(0, colon) : authority;
      return m.registry.resolve(host, src.get().metadata().namespace());
    }
    return Optional.empty();
  }

  private static int servicePort(String cluster) {
    String[] parts = cluster.split("\\|", -1);
    if (parts.length == 4 && parts[0].equals("outbound")) {
      try {
        return Integer.parseInt(parts[1]);
      } catch (NumberFormatException e) {
        return 0;
      }
    }
    return 0;
  }

  private static String peerSpiffeId(TLSProperties tls) {
    for (var san : tls.getPeerCertificateProperties().getSubjectAltNameList()) {
      if (san.getUri().startsWith("spiffe://")) {
        return san.getUri();
      }
    }
    return null;
  }

  private static String namespaceOf(String spiffeId) {
    if (spiffeId == null) {
      return null;
    }
    int ns = spiffeId.indexOf("/ns/");
    int sa = spiffeId.indexOf("/sa/");
    return ns > 0 && sa > ns ? spiffeId.substring(ns + 4, sa) : null;
  }

  private static InetAddress ip(Address a) {
    String host = host(a);
    if (host == null || IpAddress.parse(host).isEmpty()) {
      return null; // never resolve names here
    }
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String host(Address a) {
    return a.hasSocketAddress() && !a.getSocketAddress().getAddress().isEmpty() ? a.getSocketAddress().getAddress() : null;
  }

  private static int port(Address a) {
    return a.hasSocketAddress() ? a.getSocketAddress().getPortValue() : 0;
  }

  private static String address(Address a) {
    String host = host(a);
    if (host == null) {
      return null;
    }
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port(a);
  }

  private static Instant time(Timestamp t) {
    return t.getSeconds() == 0 && t.getNanos() == 0 ? Instant.now() : Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  private static Duration latency(AccessLogCommon c) {
    com.google.protobuf.Duration d = c.hasTimeToLastDownstreamTxByte() ? c.getTimeToLastDownstreamTxByte()
        : c.hasDuration() ? c.getDuration() : null;
    return d == null ? null : Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }
}
