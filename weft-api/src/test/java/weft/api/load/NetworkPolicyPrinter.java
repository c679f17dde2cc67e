package weft.api.load;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import weft.api.NetworkPolicy;
import weft.api.k8s.NetworkPolicyPeer;
import weft.api.k8s.NetworkPolicyPort;
import weft.api.k8s.NetworkPolicyRule;
import weft.api.k8s.PolicyType;
import weft.api.meta.Cidr;
import weft.api.meta.LabelSelector;
import weft.api.meta.PortRef;

/** Prints a NetworkPolicy record back to Kubernetes YAML (for the round-trip property). */
final class NetworkPolicyPrinter {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private NetworkPolicyPrinter() {}

  static String toYaml(NetworkPolicy np) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("apiVersion", "networking.k8s.io/v1");
    doc.put("kind", "NetworkPolicy");
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", np.metadata().name());
    metadata.put("namespace", np.metadata().namespace());
    if (!np.metadata().labels().isEmpty()) {
      metadata.put("labels", np.metadata().labels());
    }
    doc.put("metadata", metadata);
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("podSelector", selector(np.podSelector()));
    spec.put(
        "policyTypes",
        List.of(PolicyType.values()).stream().filter(np.policyTypes()::contains).map(PolicyType::wireName).toList());
    if (!np.ingress().isEmpty()) {
      spec.put("ingress", np.ingress().stream().map(r -> rule(r, "from")).toList());
    }
    if (!np.egress().isEmpty()) {
      spec.put("egress", np.egress().stream().map(r -> rule(r, "to")).toList());
    }
    doc.put("spec", spec);
    try {
      return YAML.writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Map<String, Object> rule(NetworkPolicyRule r, String peersField) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!r.peers().isEmpty()) {
      out.put(peersField, r.peers().stream().map(NetworkPolicyPrinter::peer).toList());
    }
    if (!r.ports().isEmpty()) {
      out.put("ports", r.ports().stream().map(NetworkPolicyPrinter::port).toList());
    }
    return out;
  }

  private static Map<String, Object> peer(NetworkPolicyPeer peer) {
    Map<String, Object> out = new LinkedHashMap<>();
    switch (peer) {
      case NetworkPolicyPeer.Pods p -> {
        out.put("podSelector", selector(p.pods()));
        p.namespaces().ifPresent(ns -> out.put("namespaceSelector", selector(ns)));
      }
      case NetworkPolicyPeer.Addresses a -> {
        Map<String, Object> block = new LinkedHashMap<>();
        block.put("cidr", a.ipBlock().cidr().toString());
        if (!a.ipBlock().except().isEmpty()) {
          block.put("except", a.ipBlock().except().stream().map(Cidr::toString).toList());
        }
        out.put("ipBlock", block);
      }
    }
    return out;
  }

  private static Map<String, Object> port(NetworkPolicyPort p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("protocol", p.protocol().name());
    p.port()
        .ifPresent(
            ref ->
                out.put(
                    "port",
                    switch (ref) {
                      case PortRef.Number n -> n.port();
                      case PortRef.Name n -> n.name();
                    }));
    p.endPort().ifPresent(e -> out.put("endPort", e));
    return out;
  }

  private static Map<String, Object> selector(LabelSelector s) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (!s.matchLabels().isEmpty()) {
      out.put("matchLabels", s.matchLabels());
    }
    if (!s.matchExpressions().isEmpty()) {
      List<Map<String, Object>> expressions = new ArrayList<>();
      s.matchExpressions()
          .forEach(
              r -> {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("key", r.key());
                e.put("operator", r.operator().wireName());
                if (!r.values().isEmpty()) {
                  e.put("values", r.values());
                }
                expressions.add(e);
              });
      out.put("matchExpressions", expressions);
    }
    return out;
  }
}
