package weft.policy.translate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import weft.api.AuthorizationPolicy;
import weft.api.CiliumNetworkPolicy;
import weft.api.Namespace;
import weft.api.NetworkPolicy;
import weft.api.Node;
import weft.api.PeerAuthentication;
import weft.api.ResourceSet;
import weft.api.Workload;
import weft.api.inventory.WorkloadPort;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.LabelPolicy;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.NamespaceInfo;
import weft.policy.model.NodeInfo;
import weft.policy.model.PolicyInputs;
import weft.policy.model.Protocol;
import weft.policy.model.WorkloadInfo;

/**
 * Translates a weft-api {@link ResourceSet} into the engine's inputs. Problems (unsupported
 * features) are collected, never skipped silently: a caller must refuse to enforce a set with
 * problems, so an unsupported policy never becomes allow-all.
 */
public final class PolicyTranslator {
  private PolicyTranslator() {}

  /** The engine inputs and the problems found; {@code inputs} is usable only without problems. */
  public record Translation(PolicyInputs inputs, List<String> problems) {
    public Translation {
      problems = List.copyOf(problems);
    }
  }

  public static Translation translate(ResourceSet resources) {
    Problems problems = new Problems();
    List<WorkloadInfo> workloads = new ArrayList<>();
    for (Workload w : resources.workloads()) workloads.add(workload(w));
    List<NamespaceInfo> namespaces = new ArrayList<>();
    for (Namespace n : resources.namespaces()) namespaces.add(new NamespaceInfo(n.metadata().name(), n.metadata().labels()));
    // a namespace that workloads use but no Namespace resource declares has only its name label
    for (WorkloadInfo w : workloads) {
      if (namespaces.stream().noneMatch(n -> n.name().equals(w.namespace()))) namespaces.add(new NamespaceInfo(w.namespace(), Map.of()));
    }
    List<NodeInfo> nodes = new ArrayList<>();
    for (Node n : resources.nodes()) {
      nodes.add(new NodeInfo(n.metadata().name(), n.metadata().labels(), n.addresses().stream().map(Addresses::ip).toList()));
    }
    List<LabelPolicy> label = new ArrayList<>();
    for (NetworkPolicy np : resources.networkPolicies()) label.add(KubernetesTranslator.translate(np));
    for (CiliumNetworkPolicy cnp : resources.ciliumPolicies()) label.addAll(CiliumTranslator.translate(cnp, problems));
    List<AuthzPolicy> authz = new ArrayList<>();
    for (AuthorizationPolicy ap : resources.authorizationPolicies()) authz.add(IstioTranslator.translate(ap));
    List<MtlsPolicy> mtls = new ArrayList<>();
    for (PeerAuthentication pa : resources.peerAuthentications()) mtls.add(IstioTranslator.translate(pa));
    return new Translation(new PolicyInputs(workloads, namespaces, nodes, label, authz, mtls), problems.list());
  }

  static WorkloadInfo workload(Workload w) {
    List<WorkloadInfo.NamedPort> ports = new ArrayList<>();
    for (WorkloadPort p : w.ports()) {
      p.name().ifPresent(n -> ports.add(new WorkloadInfo.NamedPort(n, p.port(), Protocol.valueOf(p.protocol().name()))));
    }
    return new WorkloadInfo(w.metadata().namespace(), w.metadata().name(), w.metadata().labels(), w.serviceAccount(),
        w.addresses().stream().map(Addresses::ip).toList(), ports, w.cluster().orElse("default"), w.node());
  }
}
