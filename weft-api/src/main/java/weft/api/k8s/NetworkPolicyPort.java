package weft.api.k8s;

import java.util.Objects;
import java.util.Optional;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/**
 * NetworkPolicy {@code ports[]} entry.
 *
 * @param protocol TCP (default), UDP or SCTP
 * @param port a number or a named port; empty means every port of the protocol
 * @param endPort with a numeric {@code port}, the inclusive end of the range {@code port..endPort}
 */
public record NetworkPolicyPort(Protocol protocol, Optional<PortRef> port, Optional<Integer> endPort) {
  public NetworkPolicyPort {
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(endPort, "endPort");
    if (protocol == Protocol.ANY) {
      throw new IllegalArgumentException("protocol: ANY (expected: TCP, UDP or SCTP)");
    }
    if (endPort.isPresent()
        && !(port.orElse(null) instanceof PortRef.Number n && n.port() <= endPort.get())) {
      throw new IllegalArgumentException(
          "endPort: " + endPort.get() + " (expected: with a numeric port <= endPort, got " + port + ")");
    }
  }
}
