package weft.controlplane.registry;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import weft.api.Workload;
import weft.api.inventory.Locality;

/**
 * One endpoint of a service port: a selected workload's proxy (inbound listener) at its first
 * address and the resolved target port.
 *
 * @param workload the workload behind it (labels select subsets; service account names its identity)
 * @param address {@code spec.addresses[0]}
 * @param port the target port resolved against the workload's ports
 * @param locality region/zone, empty strings when unset
 * @param cluster the workload's cluster, empty when unset
 */
public record Endpoint(Workload workload, InetAddress address, int port, Locality locality, String cluster) {
  public Endpoint {
    Objects.requireNonNull(workload, "workload");
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(locality, "locality");
    Objects.requireNonNull(cluster, "cluster");
  }

  public Map<String, String> labels() {
    return workload.metadata().labels();
  }

  public String serviceAccount() {
    return workload.serviceAccount();
  }

  /** The workload's SPIFFE ID, {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
  public String spiffeId(String trustDomain) {
    return "spiffe://" + trustDomain + "/ns/" + workload.metadata().namespace() + "/sa/" + workload.serviceAccount();
  }
}
