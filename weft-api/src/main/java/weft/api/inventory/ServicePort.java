package weft.api.inventory;

import java.util.Objects;
import java.util.Optional;
import weft.api.meta.PortRef;
import weft.api.meta.Protocol;

/**
 * One port of a Service.
 *
 * @param name the port name; required by Kubernetes when a Service has several ports
 * @param port the service port, 1..65535
 * @param targetPort the workload port, a number or a workload port name; defaults to {@code port}
 * @param protocol TCP (default), UDP or SCTP
 * @param appProtocol the application protocol, if declared
 */
public record ServicePort(
    Optional<String> name, int port, PortRef targetPort, Protocol protocol, Optional<String> appProtocol) {
  public ServicePort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targetPort, "targetPort");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(appProtocol, "appProtocol");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
  }
}
