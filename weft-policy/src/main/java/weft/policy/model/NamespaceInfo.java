package weft.policy.model;

import java.util.Map;
import java.util.TreeMap;

/** A namespace and its labels; {@code kubernetes.io/metadata.name} is always present. */
public record NamespaceInfo(String name, Map<String, String> labels) {
  public NamespaceInfo {
    TreeMap<String, String> m = new TreeMap<>(labels);
    m.put("kubernetes.io/metadata.name", name);
    labels = java.util.Collections.unmodifiableMap(m);
  }
}
