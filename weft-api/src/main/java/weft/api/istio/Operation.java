package weft.api.istio;

import java.util.List;

/**
 * {@code rules[].to[].operation}: every non-empty field must match (AND); within a field, any value
 * (OR). Hosts, methods and paths use Istio's exact / {@code prefix*} / {@code *suffix} / {@code *}
 * matching; hosts case-insensitively. Paths match the path without the query string.
 *
 * @param ports destination ports, 1..65535
 */
public record Operation(
    List<String> hosts,
    List<String> notHosts,
    List<Integer> ports,
    List<Integer> notPorts,
    List<String> methods,
    List<String> notMethods,
    List<String> paths,
    List<String> notPaths) {
  public Operation {
    hosts = List.copyOf(hosts);
    notHosts = List.copyOf(notHosts);
    ports = List.copyOf(ports);
    notPorts = List.copyOf(notPorts);
    methods = List.copyOf(methods);
    notMethods = List.copyOf(notMethods);
    paths = List.copyOf(paths);
    notPaths = List.copyOf(notPaths);
  }

  /** True if at least one field is set (Istio refuses an empty operation). */
  public boolean hasAnyField() {
    return !(hosts.isEmpty() && notHosts.isEmpty() && ports.isEmpty() && notPorts.isEmpty()
        && methods.isEmpty() && notMethods.isEmpty() && paths.isEmpty() && notPaths.isEmpty());
  }

  /** True if the operation needs an HTTP request to be evaluated (Istio: HTTP-only fields). */
  public boolean usesHttpFields() {
    return !(hosts.isEmpty() && notHosts.isEmpty() && methods.isEmpty() && notMethods.isEmpty()
        && paths.isEmpty() && notPaths.isEmpty());
  }
}
