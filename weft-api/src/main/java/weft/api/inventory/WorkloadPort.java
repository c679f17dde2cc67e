package weft.api.inventory;

import java.util.Objects;
import java.util.Optional;
import weft.api.meta.Protocol;

/**
 * A port a workload listens on. Its name is what named ports in policies (NetworkPolicy {@code
 * port: http}, Cilium {@code port: http}) and Service {@code targetPort} resolve against.
 *
 * @param name the port name, if any (an IANA_SVC_NAME)
 * @param port 1..65535
 * @param protocol TCP (default), UDP or SCTP
 * @param appProtocol the application protocol, e.g. {@code http}, {@code kafka}, if declared
 */
public record WorkloadPort(
    Optional<String> name, int port, Protocol protocol, Optional<String> appProtocol) {
  public WorkloadPort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(appProtocol, "appProtocol");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (protocol == Protocol.ANY) {
      throw new IllegalArgumentException("protocol: ANY (expected: TCP, UDP or SCTP)");
    }
  }
}
