package weft.controlplane.xds;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the control plane knows about one proxy's xDS session, for {@code weft get proxies}.
 *
 * @param nodeId the proxy's node id ({@code ns/workload} for weft proxies)
 * @param connected whether at least one xDS stream from this node is open
 * @param openStreams how many xDS streams from this node are open
 * @param ackedVersions per type URL, the last version the proxy ACKed
 * @param sentVersions per type URL, the last version sent to the proxy
 * @param lastNack the last rejected update, if any
 * @param connectedAt when the node's most recent stream sent its first request
 * @param disconnectedAt when the node's last stream closed, if it has no open stream now
 */
public record ProxyStatus(
    String nodeId,
    boolean connected,
    int openStreams,
    Map<String, String> ackedVersions,
    Map<String, String> sentVersions,
    Optional<Nack> lastNack,
    Instant connectedAt,
    Optional<Instant> disconnectedAt) {

  public ProxyStatus {
    Objects.requireNonNull(nodeId, "nodeId");
    ackedVersions = Map.copyOf(ackedVersions);
    sentVersions = Map.copyOf(sentVersions);
    Objects.requireNonNull(lastNack, "lastNack");
    Objects.requireNonNull(connectedAt, "connectedAt");
    Objects.requireNonNull(disconnectedAt, "disconnectedAt");
  }

  /**
   * The proxy's config version: the highest version it ACKed for any type (types that did not
   * change keep older versions), 0 before its first ACK. Meaningful together with {@link #inSync()}.
   */
  public long ackedVersion() {
    long max = 0;
    for (String v : ackedVersions.values()) {
      try {
        max = Math.max(max, Long.parseLong(v));
      } catch (NumberFormatException notOurs) {
        // versions are our counter's; anything else is not a number to compare
      }
    }
    return max;
  }

  /**
   * Whether the proxy has ACKed everything it was sent: no update in flight and none rejected
   * since.
   */
  public boolean inSync() {
    return sentVersions.equals(ackedVersions);
  }

  /**
   * A proxy's rejection of an update.
   *
   * @param typeUrl the resource type that was rejected
   * @param version the version the proxy rejected (the one sent with the nonce it answered)
   * @param message the proxy's {@code error_detail.message}
   * @param at when the NACK arrived
   */
  public record Nack(String typeUrl, String version, String message, Instant at) {
    public Nack {
      Objects.requireNonNull(typeUrl, "typeUrl");
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(at, "at");
    }
  }
}
