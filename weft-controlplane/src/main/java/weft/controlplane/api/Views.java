package weft.controlplane.api;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import weft.api.AuthorizationPolicy;
import weft.api.CiliumNetworkPolicy;
import weft.api.NetworkPolicy;
import weft.api.PeerAuthentication;
import weft.api.Resource;
import weft.api.Workload;
import weft.api.inventory.ServicePort;
import weft.api.inventory.WorkloadPort;
import weft.controlplane.registry.Endpoint;
import weft.controlplane.registry.MeshService;
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

  /** A service with its endpoints, as the registry (and so the translator) resolves them. */
  static Map<String, Object> service(MeshService s) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("namespace", s.namespace());
    m.put("name", s.name());
    m.put("fqdn", s.fqdn());
    m.put("kind", s.service().kind().kindName());
    m.put("selector", s.service().selector());
    List<Map<String, Object>> ports = new ArrayList<>();
    List<Map<String, Object>> endpoints = new ArrayList<>();
    for (ServicePort p : s.ports()) {
      Map<String, Object> pm = new LinkedHashMap<>();
      pm.put("name", p.name().orElse(null));
      pm.put("port", p.port());
      pm.put("targetPort", p.targetPort().toString());
      pm.put("protocol", p.protocol().name());
      ports.add(pm);
      for (Endpoint e : s.endpoints(p.port())) {
        Map<String, Object> em = new LinkedHashMap<>();
        em.put("servicePort", p.port());
        em.put("workload", e.workload().metadata().namespace() + "/" + e.workload().metadata().name());
        em.put("address", e.address().getHostAddress());
        em.put("port", e.port());
        String locality = e.locality().region() + (e.locality().zone().isEmpty() ? "" : "/" + e.locality().zone());
        em.put("locality", locality.isEmpty() ? null : locality);
        em.put("cluster", e.cluster().isEmpty() ? null : e.cluster());
        endpoints.add(em);
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
