package weft.policy.identity;

import java.util.Map;
import java.util.TreeMap;

/**
 * A security identity: a numeric id and the security-relevant labels it stands for. Workloads with
 * equal label sets share one identity.
 */
public record Identity(int id, Map<String, String> labels) {
  public static final String NAMESPACE = "io.kubernetes.pod.namespace";
  public static final String SERVICE_ACCOUNT = "io.cilium.k8s.policy.serviceaccount";
  public static final String CLUSTER = "io.cilium.k8s.policy.cluster";
  public static final String NAMESPACE_LABEL_PREFIX = "io.cilium.k8s.namespace.labels.";

  public Identity {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
  }

  public boolean reserved() {
    return id < 256;
  }

  @Override
  public String toString() {
    return id + labels.toString();
  }
}
