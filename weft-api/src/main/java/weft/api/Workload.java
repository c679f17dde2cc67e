package weft.api;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import weft.api.inventory.Locality;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.ObjectMeta;

/**
 * weft's {@code weft.dev/v1alpha1} Workload: one instance of a service (a pod, a VM, a process),
 * the unit that gets an identity and a policy.
 *
 * @param metadata name, namespace (default {@code default}) and labels (what selectors match)
 * @param serviceAccount defaults to {@code default}, as Kubernetes; part of the SPIFFE identity
 * @param addresses the workload's IP addresses
 * @param ports declared ports (named ports in policies resolve against these)
 * @param cluster the cluster it runs in, if set
 * @param locality region/zone, if set
 * @param node the name of the {@link Node} it runs on, if set
 */
public record Workload(
    ObjectMeta metadata,
    String serviceAccount,
    List<InetAddress> addresses,
    List<WorkloadPort> ports,
    Optional<String> cluster,
    Optional<Locality> locality,
    Optional<String> node)
    implements Resource {
  public static final String DEFAULT_SERVICE_ACCOUNT = "default";

  public Workload {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(serviceAccount, "serviceAccount");
    addresses = List.copyOf(addresses);
    ports = List.copyOf(ports);
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(node, "node");
  }

  @Override
  public Kind kind() {
    return Kind.WORKLOAD;
  }

  /** The workload port with this name, for resolving named ports. */
  public Optional<WorkloadPort> port(String name) {
    return ports.stream().filter(p -> p.name().equals(Optional.of(name))).findFirst();
  }
}
