package weft.controlplane.flows;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One observed flow: a TCP connection or an HTTP request as one sidecar saw it, enriched with the
 * control plane's view of the mesh (which workloads the addresses and identities belong to, which
 * policy rule decided). Immutable.
 *
 * @param time when the connection or request started (the proxy's {@code start_time})
 * @param direction where it was observed: {@link Direction#INGRESS} at the destination's sidecar,
 *     {@link Direction#EGRESS} at the source's
 * @param protocol {@code tcp}, {@code http/1.0}, {@code http/1.1} or {@code http/2}
 * @param http the request's summary; null for TCP flows
 * @param policy the deciding policy rule (e.g. {@code CiliumNetworkPolicy default/jobs-api
 *     spec.ingress[0]}); null when no policy decided (default allow) or the verdict is an error
 * @param reason why the verdict is what it is, for people (RBAC details, the engine's explanation,
 *     response flags); never null, may be empty
 * @param latency time to the last byte sent downstream, or the connection's duration; null if unknown
 * @param peerIdentity the verified mTLS peer's SPIFFE ID; null when the downstream was plaintext
 * @param node the reporting proxy's node id ({@code ns/workload})
 * @param bytesReceived bytes received from downstream (request headers and body, or the connection's)
 * @param bytesSent bytes sent downstream
 */
public record FlowRecord(
    Instant time,
    Direction direction,
    Source source,
    Destination destination,
    String protocol,
    Http http,
    Verdict verdict,
    String policy,
    String reason,
    Duration latency,
    String peerIdentity,
    String node,
    long bytesReceived,
    long bytesSent) {

  public FlowRecord {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(node, "node");
  }

  public enum Direction { INGRESS, EGRESS }

  public enum Verdict { FORWARDED, DENIED, ERROR }

  /**
   * The client end. {@code namespace}/{@code workload} null when the address and identity belong to
   * no known workload.
   *
   * @param identity the source's SPIFFE ID (the verified peer's, or its workload's)
   * @param address {@code ip:port} as the proxy saw it; null if unknown
   */
  public record Source(String namespace, String workload, String identity, String address) {
    /** {@code ns/name}, or the address when the workload is unknown. */
    public String name() {
      return workload != null ? namespace + "/" + workload : address == null ? "unknown" : address;
    }
  }

  /**
   * The server end: a workload, or a service (egress flows, before a backend is known), or both.
   *
   * @param address {@code ip} of the upstream host or the local listener; null if unknown
   * @param port the destination port (service port on egress, workload port on ingress); 0 if unknown
   */
  public record Destination(String namespace, String workload, String service, String address, int port) {
    /** {@code ns/name} of the workload, else of the service, else the address. */
    public String name() {
      if (workload != null) {
        return namespace + "/" + workload;
      }
      if (service != null) {
        return namespace + "/" + service;
      }
      return address == null ? "unknown" : address;
    }
  }

  /** An HTTP request's summary; {@code status} 0 when no response was sent. */
  public record Http(String method, String path, int status) {
    public Http {
      Objects.requireNonNull(method, "method");
      Objects.requireNonNull(path, "path");
    }
  }
}
