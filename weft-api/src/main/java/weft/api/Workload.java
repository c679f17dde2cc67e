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
 * @param app where the application listens behind the workload's proxy ({@code spec.app})
 * @param proxy the proxy's own ports ({@code spec.proxy})
 */
public record Workload(
    ObjectMeta metadata,
    String serviceAccount,
    List<InetAddress> addresses,
    List<WorkloadPort> ports,
    Optional<String> cluster,
    Optional<Locality> locality,
    Optional<String> node,
    AppEndpoint app,
    ProxyPorts proxy)
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
    Objects.requireNonNull(app, "app");
    Objects.requireNonNull(proxy, "proxy");
  }

  /** A workload with the default {@code spec.app} and {@code spec.proxy}. */
  public Workload(
      ObjectMeta metadata,
      String serviceAccount,
      List<InetAddress> addresses,
      List<WorkloadPort> ports,
      Optional<String> cluster,
      Optional<Locality> locality,
      Optional<String> node) {
    this(metadata, serviceAccount, addresses, ports, cluster, locality, node, AppEndpoint.DEFAULT, ProxyPorts.DEFAULT);
  }

  /**
   * {@code spec.app}: the application behind the proxy listens on {@code address:port+portOffset}
   * for each workload port (docs/controlplane.md: no traffic interception, so the app moves aside).
   *
   * @param address default {@code 127.0.0.1}
   * @param portOffset default 10000; 0 when the app listens on another address with the same ports
   */
  public record AppEndpoint(InetAddress address, int portOffset) {
    public static final AppEndpoint DEFAULT = new AppEndpoint(InetAddress.getLoopbackAddress(), 10_000);

    public AppEndpoint {
      Objects.requireNonNull(address, "address");
      if (portOffset < 0 || portOffset > 65534) {
        throw new IllegalArgumentException("portOffset: " + portOffset + " (expected: 0..65534)");
      }
    }
  }

  /**
   * {@code spec.proxy}: where the workload's proxy listens for the app's outbound traffic.
   *
   * @param outboundPort default 15001 (Istio's outbound port)
   */
  public record ProxyPorts(int outboundPort) {
    public static final ProxyPorts DEFAULT = new ProxyPorts(15_001);

    public ProxyPorts {
      if (outboundPort < 1 || outboundPort > 65535) {
        throw new IllegalArgumentException("outboundPort: " + outboundPort + " (expected: 1..65535)");
      }
    }
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
