package weft.controlplane.api;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.api.AuthorizationPolicy;
import weft.api.CiliumNetworkPolicy;
import weft.api.NetworkPolicy;
import weft.api.PeerAuthentication;
import weft.api.Resource;
import weft.api.ResourceSet;
import weft.api.Service;
import weft.api.Workload;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.api.meta.PortRef;
import weft.controlplane.store.StoreState;
import weft.controlplane.xds.ProxyStatus;

/**
 * The JSON shapes of the HTTP API, built as ordered maps and lists so that field names and order
 * are explicit here (the CLI and scripts read them). Pure functions of the store state.
 */
final class Views {
  private Views() {}

  static String spiffeId(String trustDomain, Workload w) {
    return "spiffe://" + trustDomain + "/ns/" + w.metadata().namespace() + "/sa/" + w.serviceAccount();
  }

  static Map<String, Object> workload(Workload w, String trustDomain) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", w.metadata().namespace());
    m.put("name", w.metadata().name());
    m.put("serviceAccount", w.serviceAccount());
    m.put("spiffeId", spiffeId(trustDomain, w));
    m.put("labels", w.metadata().labels());
    m.put("addresses", w.addresses().stream().map(InetAddress::getHostAddress).toList());
    List<Map<String, Object>> ports = new ArrayList<>();
    for (WorkloadPort p : w.ports()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name().orElse(null));
      pm.put("port", p.port());
      pm.put("protocol", p.protocol().name());
      pm.put("appProtocol", p.appProtocol().orElse(null));
      ports.add(pm);
    }
    m.put("ports", ports);
    m.put("cluster", w.cluster().orElse(null));
    m.put("locality", w.locality().map(l -> l.region() + (l.zone().isEmpty() ? "" : "/" + l.zone())).orElse(null));
    m.put("node", w.node().orElse(null));
    return m;
  }

  /**
   * A service with its endpoints: the workloads of its namespace its selector matches, on the
   * resolved target port (a named target port the workload does not declare gives no endpoint, as
   * in Kubernetes).
   */
  static Map<String, Object> service(Service s, ResourceSet resources) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", s.metadata().namespace());
    m.put("name", s.metadata().name());
    m.put("kind", s.kind().kindName());
    m.put("selector", s.selector());
    List<Map<String, Object>> ports = new ArrayList<>();
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (ServicePort p : s.ports()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name().orElse(null));
      pm.put("port", p.port());
      pm.put("targetPort", p.targetPort().toString());
      pm.put("protocol", p.protocol().name());
      ports.add(pm);
      if (s.selector().isEmpty()) {
        continue;
      }
      for (Workload w : resources.workloads()) {
        if (!w.metadata().namespace().equals(s.metadata().namespace())
            || !w.metadata().labels().entrySet().containsAll(s.selector().entrySet())) {
          continue;
        }
        Optional<Integer> target = switch (p.targetPort()) {
          case PortRef.Number n -> Optional.of(n.port());
          case PortRef.Name n -> w.port(n.name()).map(WorkloadPort::port);
        };
        if (target.isEmpty()) {
          continue;
        }
        for (InetAddress a : w.addresses()) {
          Map<String, Object> e = new LinkedHashMap<>();
          e.put("servicePort", p.port());
          e.put("workload", w.metadata().namespace() + "/" + w.metadata().name());
          e.put("address", a.getHostAddress());
          e.put("port", target.get());
          e.put("locality", w.locality().map(l -> l.region() + (l.zone().isEmpty() ? "" : "/" + l.zone())).orElse(null));
          e.put("cluster", w.cluster().orElse(null));
          endpoints.add(e);
        }
      }
    }
    m.put("ports", ports);
    m.put("endpoints", endpoints);
    return m;
  }

  static boolean isPolicy(Resource r) {
    return r instanceof NetworkPolicy || r instanceof CiliumNetworkPolicy
        || r instanceof AuthorizationPolicy || r instanceof PeerAuthentication;
  }

  static Map<String, Object> policy(Resource r, StoreState state, PolicyIndex index) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("kind", r.kind().kindName());
    m.put("namespace", r.metadata().namespace());
    m.put("name", r.metadata().name());
    m.put("source", state.owners().get(r.key()));
    // PolicyRef prints as "Kind ns/name" (or "Kind name"), as ResourceKey does
    m.put("selects", index.byPolicy().getOrDefault(r.key().toString(), List.of()));
    return m;
  }

  static Map<String, Object> proxy(ProxyStatus p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("node", p.nodeId());
    m.put("connected", p.connected());
    m.put("inSync", p.inSync());
    m.put("configVersion", p.ackedVersion()); // the newest version it ACKed, any type
    m.put("ackedVersions", shortTypes(p.ackedVersions()));
    m.put("sentVersions", shortTypes(p.sentVersions()));
    m.put("lastNack", p.lastNack().map(n -> {
      Map<String, Object> nm = new LinkedHashMap<>();
      nm.put("type", shortType(n.typeUrl()));
      nm.put("version", n.version());
      nm.put("message", n.message());
      nm.put("at", n.at().toString());
      return nm;
    }).orElse(null));
    m.put("connectedAt", p.connectedAt().toString());
    m.put("disconnectedAt", p.disconnectedAt().map(Instant::toString).orElse(null));
    return m;
  }

  /** {@code type.googleapis.com/envoy.config.listener.v3.Listener} -> {@code Listener}. */
  static String shortType(String typeUrl) {
    return typeUrl.substring(typeUrl.lastIndexOf('.') + 1);
  }

  private static Map<String, String> shortTypes(Map<String, String> byTypeUrl) {
    Map<String, String> out = new java.util.TreeMap<>();
    byTypeUrl.forEach((k, v) -> out.put(shortType(k), v));
    return out;
  }
}
