package weft.api.cilium;

import java.util.Objects;
import java.util.Optional;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/**
 * One {@code toPorts[].ports[]} entry.
 *
 * @param port a number (0 = every port, Cilium's default when omitted) or a named port
 * @param endPort with a numeric port, the inclusive end of the range
 * @param protocol TCP, UDP, SCTP or ANY (Cilium's default)
 */
public record PortProtocol(PortRef port, Optional<Integer> endPort, Protocol protocol) {
  public PortProtocol {
    Objects.requireNonNull(port, "port");
    Objects.requireNonNull(endPort, "endPort");
    Objects.requireNonNull(protocol, "protocol");
  }

  /** True if this entry covers every port of its protocol. */
  public boolean allPorts() {
    return port instanceof PortRef.Number n && n.port() == 0 && endPort.isEmpty();
  }
}
