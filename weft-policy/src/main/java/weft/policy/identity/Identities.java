package weft.policy.identity;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import weft.policy.model.NamespaceInfo;
import weft.policy.model.WorkloadInfo;

/**
 * Allocates identities the way Cilium derives them from a pod: pod labels, namespace, service
 * account, cluster and namespace labels. Ids of workload identities are in Cilium's cluster-local
 * range [256, 65536), derived from a hash of the label set and probed in label-set order, so the
 * same inputs always give the same ids. Every identity also has a dense {@link #index} for bit sets.
 */
public final class Identities {
  private static final int FIRST = 256;
  private static final int RANGE = 65536 - FIRST;

  private final List<Identity> all;
  private final Map<String, Identity> byWorkload;
  private final Map<Integer, Integer> indexById;

  private Identities(List<Identity> all, Map<String, Identity> byWorkload) {
    this.all = List.copyOf(all);
    this.byWorkload = Map.copyOf(byWorkload);
    Map<Integer, Integer> idx = new HashMap<>();
    for (int i = 0; i < all.size(); i++) idx.put(all.get(i).id(), i);
    this.indexById = Map.copyOf(idx);
  }

  public static Identities allocate(List<WorkloadInfo> workloads, List<NamespaceInfo> namespaces) {
    Map<String, NamespaceInfo> ns = new HashMap<>();
    for (NamespaceInfo n : namespaces) ns.put(n.name(), n);
    Map<String, Map<String, String>> labelsByWorkload = new LinkedHashMap<>();
    for (WorkloadInfo w : workloads) {
      labelsByWorkload.put(
          w.key(), labelsOf(w, ns.getOrDefault(w.namespace(), new NamespaceInfo(w.namespace(), Map.of()))));
    }
    // allocate in a canonical order so collisions resolve the same way whatever the input order
    List<Map<String, String>> distinct = new ArrayList<>(new HashSet<>(labelsByWorkload.values()));
    distinct.sort((a, b) -> a.toString().compareTo(b.toString()));
    Map<Map<String, String>, Identity> byLabels = new HashMap<>();
    Set<Integer> used = new HashSet<>();
    for (Map<String, String> l : distinct) {
      int slot = Math.floorMod(l.toString().hashCode() * 0x9E3779B1, RANGE);
      while (used.contains(FIRST + slot)) slot = (slot + 1) % RANGE;
      used.add(FIRST + slot);
      byLabels.put(l, new Identity(FIRST + slot, l));
    }
    List<Identity> all = new ArrayList<>();
    for (ReservedIdentity r : ReservedIdentity.values()) all.add(r.identity());
    List<Identity> mine = new ArrayList<>(byLabels.values());
    mine.sort((a, b) -> Integer.compare(a.id(), b.id()));
    all.addAll(mine);
    Map<String, Identity> byWorkload = new HashMap<>();
    labelsByWorkload.forEach((k, l) -> byWorkload.put(k, byLabels.get(l)));
    return new Identities(all, byWorkload);
  }

  /** Cilium's security-relevant labels of a pod. */
  public static Map<String, String> labelsOf(WorkloadInfo w, NamespaceInfo ns) {
    Map<String, String> l = new TreeMap<>(w.labels());
    l.put(Identity.NAMESPACE, w.namespace());
    l.put(Identity.SERVICE_ACCOUNT, w.serviceAccount());
    l.put(Identity.CLUSTER, w.cluster());
    ns.labels().forEach((k, v) -> l.put(Identity.NAMESPACE_LABEL_PREFIX + k, v));
    return Collections.unmodifiableMap(l);
  }

  /** Every identity: the reserved ones first, then workload identities by id. */
  public List<Identity> all() {
    return all;
  }

  /** The identity of workload {@code ns/name}, or null when unknown. */
  public Identity of(String workloadKey) {
    return byWorkload.get(workloadKey);
  }

  /** Dense index of an identity in {@link #all()}. */
  public int index(Identity identity) {
    return indexById.get(identity.id());
  }

  public int index(ReservedIdentity r) {
    return r.ordinal();
  }

  /** The SPIFFE ID of a workload: {@code spiffe://<trust-domain>/ns/<ns>/sa/<sa>}. */
  public static String spiffeId(String trustDomain, WorkloadInfo w) {
    return "spiffe://" + trustDomain + "/ns/" + w.namespace() + "/sa/" + w.serviceAccount();
  }
}
