package weft.controlplane.xds;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-node xDS session state: streams open, versions sent and ACKed per type, the last NACK.
 *
 * <p>Fed by the xDS server's stream callbacks (gRPC threads, any number at once); read by the HTTP
 * API through {@link #all()} and {@link #get(String)}, which return immutable snapshots. Each
 * node's state is guarded by its own monitor; the registry itself is a concurrent map, so one
 * proxy's traffic never waits for another's.
 */
public final class ProxyStatusRegistry {
  private static final Logger log = LoggerFactory.getLogger(ProxyStatusRegistry.class);

  private final Clock clock;
  private final Map<String, NodeState> nodes = new ConcurrentHashMap<>();
  private final java.util.concurrent.atomic.AtomicLong denied = new java.util.concurrent.atomic.AtomicLong();
  private volatile String lastDenial = "";

  public ProxyStatusRegistry() {
    this(Clock.systemUTC());
  }

  public ProxyStatusRegistry(Clock clock) {
    this.clock = clock;
  }

  /** The status of every node that has ever opened a stream, sorted by node id. */
  public List<ProxyStatus> all() {
    return nodes.values().stream()
        .map(NodeState::snapshot)
        .sorted(java.util.Comparator.comparing(ProxyStatus::nodeId))
        .toList();
  }

  /** Streams the TLS port refused (node id not matching the client certificate, or no node). */
  public long denied() {
    return denied.get();
  }

  /** Why the last refused stream was refused (names the node id and the peer identity), or "". */
  public String lastDenial() {
    return lastDenial;
  }

  void denied(String why) {
    denied.incrementAndGet();
    lastDenial = why;
  }

  public Optional<ProxyStatus> get(String nodeId) {
    NodeState s = nodes.get(nodeId);
    return s == null ? Optional.empty() : Optional.of(s.snapshot());
  }

  void streamStarted(String nodeId) {
    nodes.computeIfAbsent(nodeId, NodeState::new).started(clock.instant());
  }

  void streamClosed(String nodeId) {
    NodeState s = nodes.get(nodeId);
    if (s != null) {
      s.closed(clock.instant());
    }
  }

  void sent(String nodeId, String typeUrl, String version) {
    NodeState s = nodes.get(nodeId);
    if (s != null) {
      s.sent(typeUrl, version);
    }
  }

  void acked(String nodeId, String typeUrl, String version) {
    NodeState s = nodes.get(nodeId);
    if (s != null) {
      s.acked(typeUrl, version);
    }
  }

  void nacked(String nodeId, String typeUrl, String version, String message) {
    log.warn("proxy {} rejected {} version {}: {}", nodeId, typeUrl, version, message);
    NodeState s = nodes.get(nodeId);
    if (s != null) {
      s.nacked(new ProxyStatus.Nack(typeUrl, version, message, clock.instant()));
    }
  }

  private static final class NodeState {
    private final String nodeId;
    private int openStreams;
    private final Map<String, String> acked = new HashMap<>();
    private final Map<String, String> sent = new HashMap<>();
    private ProxyStatus.Nack lastNack;
    private Instant connectedAt;
    private Instant disconnectedAt;

    NodeState(String nodeId) {
      this.nodeId = nodeId;
    }

    synchronized void started(Instant now) {
      openStreams++;
      connectedAt = now;
      disconnectedAt = null;
    }

    synchronized void closed(Instant now) {
      if (openStreams > 0) {
        openStreams--;
      }
      if (openStreams == 0) {
        disconnectedAt = now;
      }
    }

    synchronized void sent(String typeUrl, String version) {
      sent.put(typeUrl, version);
    }

    synchronized void acked(String typeUrl, String version) {
      acked.put(typeUrl, version);
    }

    synchronized void nacked(ProxyStatus.Nack nack) {
      lastNack = nack;
    }

    synchronized ProxyStatus snapshot() {
      return new ProxyStatus(
          nodeId,
          openStreams > 0,
          openStreams,
          acked,
          sent,
          Optional.ofNullable(lastNack),
          connectedAt,
          Optional.ofNullable(disconnectedAt));
    }
  }
}
