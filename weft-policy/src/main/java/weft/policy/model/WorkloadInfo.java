package weft.policy.model;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** What policy needs to know of a workload: identity inputs, addresses, named ports, node. */
public record WorkloadInfo(
    String namespace,
    String name,
    Map<String, String> labels,
    String serviceAccount,
    List<IpAddress> addresses,
    List<NamedPort> ports,
    String cluster,
    Optional<String> node) {
  public WorkloadInfo {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
  }

  /** A named container port. */
  public record NamedPort(String name, int port, Protocol protocol) {}

  public String key() {
    return namespace + "/" + name;
  }

  /** The port number of {@code name} for {@code protocol}, or -1. */
  public int namedPort(String portName, Protocol protocol) {
    for (NamedPort p : ports) {
      if (p.name().equals(portName) && protocol.covers(p.protocol())) return p.port();
    }
    return -1;
  }
}
