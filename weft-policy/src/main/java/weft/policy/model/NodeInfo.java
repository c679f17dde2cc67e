package weft.policy.model;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A node (the host workloads run on). */
public record NodeInfo(String name, Map<String, String> labels, List<IpAddress> addresses) {
  public NodeInfo {
    labels = java.util.Collections.unmodifiableMap(new TreeMap<>(labels));
    addresses = List.copyOf(addresses);
  }
}
