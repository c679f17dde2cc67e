package weft.controlplane.translate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.controlplane.xds.ProxySnapshot;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.IstioPolicy;
import weft.policy.engine.PolicyEngine;
import weft.policy.export.InboundRbac;
import weft.policy.export.RbacExport;
import weft.policy.model.MtlsPolicy;
import weft.policy.translate.PolicyTranslator;

/**
 * The control plane's translation: a pure function from resources to one xDS snapshot per proxy
 * (node id {@code ns/workload}) plus the default snapshot for proxyless gRPC clients. Same input,
 * same output (and same content hashes); a resource change only changes the snapshots of the
 * proxies it affects. {@link IncrementalTranslator} computes the same function across revisions,
 * re-translating only those proxies.
 */
public final class Translator {
  private Translator() {}

  /**
   * Everything one translation produces.
   *
   * @param snapshots node id {@code ns/name} -> snapshot, for every workload with an address
   * @param proxyless the snapshot for any other node id (proxyless gRPC clients)
   * @param problems what could not be translated (each names the resource and field), in order
   */
  public record Translation(Map<String, ProxySnapshot> snapshots, ProxySnapshot proxyless, List<String> problems) {
    public Translation {
      snapshots = java.util.Collections.unmodifiableMap(new TreeMap<>(snapshots));
      problems = List.copyOf(problems);
    }
  }

  /** The per-proxy snapshots; see {@link #translateAll} for the problems and the proxyless default. */
  public static Map<String, ProxySnapshot> translate(ResourceSet resources, TranslateOptions options) {
    return translateAll(resources, options).snapshots();
  }

  /** A translation from scratch: what {@link IncrementalTranslator} produces for any revision. */
  public static Translation translateAll(ResourceSet resources, TranslateOptions options) {
    return new IncrementalTranslator(options).translate(resources);
  }

  /**
   * The effective PeerAuthentication mode of a workload port (the policy engine applies Istio's
   * precedence: workload selector > namespace > root namespace; port-level wins for its port).
   * Without a usable policy engine inbound is STRICT: fail closed.
   */
  static MtlsPolicy.Mode mode(IstioPolicy istio, int port) {
    if (istio == null) {
      return MtlsPolicy.Mode.STRICT;
    }
    MtlsPolicy.Mode m = istio.portModes().getOrDefault(port, MtlsPolicy.Mode.UNSET);
    if (m == MtlsPolicy.Mode.UNSET) {
      m = istio.mode();
    }
    return m == MtlsPolicy.Mode.UNSET ? MtlsPolicy.Mode.PERMISSIVE : m;
  }

  static PolicyEngine policy(ResourceSet resources, TranslateOptions options, Set<String> problems) {
    PolicyTranslator.Translation t = PolicyTranslator.translate(resources);
    if (!t.problems().isEmpty()) {
      t.problems().forEach(p -> problems.add("policy: " + p + " (inbound traffic is denied until it is fixed)"));
      return null;
    }
    try {
      return PolicyEngine.compile(t.inputs(), new EngineOptions(options.trustDomain(), options.rootNamespace()));
    } catch (IllegalArgumentException e) {
      problems.add("policy: " + e.getMessage() + " (inbound traffic is denied until it is fixed)");
      return null;
    }
  }

  /** The workload's RBAC export; with an unusable policy, a deny-all (an unsupported policy never allows). */
  static InboundRbac rbac(PolicyEngine engine, Workload w) {
    if (engine != null) {
      var p = engine.workload(w.metadata().namespace(), w.metadata().name());
      if (p.isPresent()) {
        return RbacExport.export(engine, p.get());
      }
    }
    var denyAll = io.envoyproxy.envoy.extensions.filters.network.rbac.v3.RBAC.newBuilder()
        .setStatPrefix("inbound_policy_error.")
        .setRules(io.envoyproxy.envoy.config.rbac.v3.RBAC.newBuilder()
            .setAction(io.envoyproxy.envoy.config.rbac.v3.RBAC.Action.ALLOW))
        .build();
    return new InboundRbac(List.of(denyAll), List.of(denyAll), List.of());
  }
}
