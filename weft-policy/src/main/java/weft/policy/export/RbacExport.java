package weft.policy.export;

import io.envoyproxy.envoy.config.rbac.v3.RBAC;
import java.util.ArrayList;
import java.util.List;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.model.Dialect;

/**
 * Exports a workload's compiled inbound policy as Envoy RBAC ({@code envoy.filters.network.rbac}
 * and {@code envoy.filters.http.rbac}) so that a proxy enforcing it reproduces
 * {@link PolicyEngine#evaluate} for TCP flows into the workload. Dialects are layered as separate
 * filters (each must allow). Not exported (docs/policy.md): Kafka rules (fail closed: their
 * traffic is denied), egress policy (enforced at the source's proxy), PeerAuthentication DISABLE.
 */
public final class RbacExport {
  private RbacExport() {}

  public static InboundRbac export(PolicyEngine engine, WorkloadPolicy w) {
    LabelRbac label = new LabelRbac(engine, w);
    List<RBAC> common = new ArrayList<>();
    common.addAll(label.network(Dialect.KUBERNETES));
    common.addAll(label.network(Dialect.CILIUM));
    IstioRbac.strict(w.istio()).ifPresent(common::add);
    List<RBAC> tcp = new ArrayList<>(common);
    tcp.addAll(IstioRbac.authz(w.istio(), false));
    List<RBAC> http = new ArrayList<>();
    label.http(Dialect.CILIUM).ifPresent(http::add);
    http.addAll(IstioRbac.authz(w.istio(), true));
    // stat prefixes are dotted names: keep them to Envoy's tag-safe characters
    String prefix = ("inbound_" + w.workload().namespace() + "_" + w.workload().name()).replaceAll("[^A-Za-z0-9_-]", "_") + "_";
    return new InboundRbac(
        network(tcp, prefix + "tcp"),
        network(common, prefix + "http"),
        http.stream().map(r -> io.envoyproxy.envoy.extensions.filters.http.rbac.v3.RBAC.newBuilder().setRules(r).build()).toList());
  }

  /** The export of workload {@code namespace/name}; throws when the engine does not know it. */
  public static InboundRbac export(PolicyEngine engine, String namespace, String name) {
    return export(engine, engine.workload(namespace, name).orElseThrow(
        () -> new IllegalArgumentException("unknown workload " + namespace + "/" + name)));
  }

  private static List<io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC> network(List<RBAC> rules, String statPrefix) {
    List<io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC> out = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      out.add(io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
          .setRules(rules.get(i)).setStatPrefix(statPrefix + "_" + i + ".").build());
    }
    return out;
  }
}
