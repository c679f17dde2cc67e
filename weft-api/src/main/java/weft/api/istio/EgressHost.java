package weft.api.istio;

import java.util.Objects;

/**
 * One {@code namespace/dnsName} entry of a Sidecar's {@code egress[].hosts} (istio.io, Sidecar,
 * IstioEgressListener.hosts): {@code namespace} is a namespace name, {@code .} (the proxy's own
 * namespace; in the root namespace's mesh default, each proxy's namespace), {@code *} (any
 * namespace) or {@code ~} (none: {@code ~/*} imports nothing); {@code dnsName} is a service FQDN,
 * {@code *} (every service of the namespace) or a left-most wildcard ({@code *.example.com}).
 */
public record EgressHost(String namespace, String dnsName) {
  public EgressHost {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(dnsName, "dnsName");
  }

  /** Whether a proxy in {@code clientNamespace} imports service {@code fqdn} of {@code serviceNamespace}. */
  public boolean matches(String clientNamespace, String serviceNamespace, String fqdn) {
    boolean ns = switch (namespace) {
      case "*" -> true;
      case "~" -> false;
      case "." -> serviceNamespace.equals(clientNamespace);
      default -> serviceNamespace.equals(namespace);
    };
    if (!ns) {
      return false;
    }
    if (dnsName.equals("*")) {
      return true;
    }
    if (dnsName.startsWith("*.")) {
      return fqdn.endsWith(dnsName.substring(1));
    }
    return fqdn.equals(dnsName);
  }

  @Override
  public String toString() {
    return namespace + "/" + dnsName;
  }
}
