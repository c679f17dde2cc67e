package weft.controlplane.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import weft.api.ResourceSet;
import weft.policy.engine.EngineOptions;
import weft.policy.engine.PolicyEngine;
import weft.policy.engine.WorkloadPolicy;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.Dialect;
import weft.policy.model.Direction;
import weft.policy.model.PolicyRef;
import weft.policy.translate.PolicyTranslator;

/**
 * Which policies select which workloads, as the policy engine compiles them (the same selection
 * the proxies enforce), for one store revision. Immutable.
 *
 * @param byWorkload {@code ns/name} to the policies selecting it, each as {@code "<ref> (<how>)"}
 * @param byPolicy {@code Kind ns/name} to the {@code ns/name} of the workloads it selects
 * @param mtlsMode {@code ns/name} to its effective PeerAuthentication mode
 * @param problems what the policy translator could not enforce
 */
record PolicyIndex(
    long revision,
    Map<String, List<String>> byWorkload,
    Map<String, List<String>> byPolicy,
    Map<String, String> mtlsMode,
    Map<String, Integer> identities,
    List<String> problems) {

  static PolicyIndex of(long revision, ResourceSet resources, EngineOptions options) {
    PolicyTranslator.Translation t = PolicyTranslator.translate(resources);
    PolicyEngine engine = PolicyEngine.compile(t.inputs(), options);
    Map<String, List<String>> byWorkload = new TreeMap<>();
    Map<String, TreeSet<String>> byPolicy = new TreeMap<>();
    Map<String, String> modes = new TreeMap<>();
    Map<String, Integer> identities = new TreeMap<>();
    for (WorkloadPolicy wp : engine.workloads()) {
      String w = wp.workload().namespace() + "/" + wp.workload().name();
      LinkedHashMap<PolicyRef, List<String>> hows = new LinkedHashMap<>();
      for (Dialect d : List.of(Dialect.KUBERNETES, Dialect.CILIUM)) {
        for (Direction dir : Direction.values()) {
          for (PolicyRef ref : wp.label(d, dir).selectedBy()) {
            hows.computeIfAbsent(ref, r -> new ArrayList<>()).add(dir.name().toLowerCase(java.util.Locale.ROOT));
          }
        }
      }
      for (AuthzPolicy p : wp.istio().denies()) {
        hows.computeIfAbsent(p.ref(), r -> new ArrayList<>()).add("deny");
      }
      for (AuthzPolicy p : wp.istio().allows()) {
        hows.computeIfAbsent(p.ref(), r -> new ArrayList<>()).add("allow");
      }
      if (wp.istio().modeFrom() != null) {
        hows.computeIfAbsent(wp.istio().modeFrom(), r -> new ArrayList<>()).add("mtls " + wp.istio().mode());
      }
      if (wp.istio().portModesFrom() != null) {
        hows.computeIfAbsent(wp.istio().portModesFrom(), r -> new ArrayList<>()).add("port-level mtls");
      }
      List<String> list = new ArrayList<>();
      hows.forEach((ref, how) -> {
        list.add(ref + " (" + String.join(", ", how) + ")");
        byPolicy.computeIfAbsent(ref.toString(), r -> new TreeSet<>()).add(w);
      });
      byWorkload.put(w, List.copyOf(list));
      modes.put(w, wp.istio().mode().name());
      identities.put(w, wp.identity().id());
    }
    Map<String, List<String>> policies = new TreeMap<>();
    byPolicy.forEach((k, v) -> policies.put(k, List.copyOf(v)));
    return new PolicyIndex(revision, Map.copyOf(byWorkload), Map.copyOf(policies), Map.copyOf(modes),
        Map.copyOf(identities), t.problems());
  }
}
