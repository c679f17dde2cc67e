package weft.policy.engine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.LabelSelector;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.PolicyRef;
import weft.policy.model.WorkloadInfo;

/**
 * The Istio policies that apply to one workload: DENY and ALLOW AuthorizationPolicies (AUDIT never
 * changes a verdict and is dropped) and the effective PeerAuthentication mode.
 */
public record IstioPolicy(
    List<AuthzPolicy> denies,
    List<AuthzPolicy> allows,
    MtlsPolicy.Mode mode,
    PolicyRef modeFrom,
    Map<Integer, MtlsPolicy.Mode> portModes,
    PolicyRef portModesFrom) {

  static IstioPolicy of(
      WorkloadInfo w, List<AuthzPolicy> authz, List<MtlsPolicy> mtls, String rootNamespace) {
    List<AuthzPolicy> denies = new ArrayList<>();
    List<AuthzPolicy> allows = new ArrayList<>();
    List<AuthzPolicy> sorted = new ArrayList<>(authz);
    sorted.sort(Comparator.comparing(AuthzPolicy::ref));
    for (AuthzPolicy p : sorted) {
      if (!applies(p.ref(), p.selector(), w, rootNamespace)) continue;
      switch (p.action()) {
        case DENY -> denies.add(p);
        case ALLOW -> allows.add(p);
        case AUDIT -> {}
      }
    }
    // PeerAuthentication precedence: workload selector > namespace > root namespace
    MtlsPolicy workload = null;
    MtlsPolicy namespace = null;
    MtlsPolicy mesh = null;
    List<MtlsPolicy> ms = new ArrayList<>(mtls);
    ms.sort(Comparator.comparing(MtlsPolicy::ref));
    for (MtlsPolicy m : ms) {
      String ns = m.ref().namespace();
      if (m.selector().isPresent()) {
        if (ns.equals(w.namespace()) && m.selector().get().matches(w.labels()) && workload == null) workload = m;
      } else if (ns.equals(w.namespace()) && namespace == null) {
        namespace = m;
      } else if (ns.equals(rootNamespace) && mesh == null) {
        mesh = m;
      }
    }
    MtlsPolicy.Mode mode = MtlsPolicy.Mode.PERMISSIVE;
    PolicyRef from = null;
    for (MtlsPolicy m : new MtlsPolicy[] {mesh, namespace, workload}) {
      if (m != null && m.mode() != MtlsPolicy.Mode.UNSET) {
        mode = m.mode();
        from = m.ref();
      }
    }
    Map<Integer, MtlsPolicy.Mode> ports = workload == null ? Map.of() : workload.portLevel();
    return new IstioPolicy(denies, allows, mode, from, ports, workload == null ? null : workload.ref());
  }

  private static boolean applies(
      PolicyRef ref, Optional<LabelSelector> selector, WorkloadInfo w, String rootNamespace) {
    boolean mesh = ref.namespace().equals(rootNamespace);
    if (!mesh && !ref.namespace().equals(w.namespace())) return false;
    return selector.isEmpty() || selector.get().matches(w.labels());
  }

  boolean selected() {
    return !denies.isEmpty() || !allows.isEmpty() || modeFrom != null || portModesFrom != null;
  }
}
