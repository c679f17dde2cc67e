package weft.policy.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import weft.policy.model.AuthzPolicy;
import weft.policy.model.IpAddress;
import weft.policy.model.LabelPolicy;
import weft.policy.model.MtlsPolicy;
import weft.policy.model.NamespaceInfo;
import weft.policy.model.NodeInfo;
import weft.policy.model.PolicyInputs;
import weft.policy.model.Protocol;
import weft.policy.model.WorkloadInfo;

/** Builds small meshes for engine tests. */
final class Mesh {
  final List<WorkloadInfo> workloads = new ArrayList<>();
  final List<NamespaceInfo> namespaces = new ArrayList<>();
  final List<NodeInfo> nodes = new ArrayList<>();
  final List<LabelPolicy> label = new ArrayList<>();
  final List<AuthzPolicy> authz = new ArrayList<>();
  final List<MtlsPolicy> mtls = new ArrayList<>();

  /** The demo mesh: default/{tweet, jobs-api, recruiter, kafka}, other/{spy}, node-1/node-2. */
  static Mesh demo() {
    Mesh m = new Mesh();
    m.namespaces.add(new NamespaceInfo("default", Map.of("team", "jobs")));
    m.namespaces.add(new NamespaceInfo("other", Map.of("team", "other")));
    m.nodes.add(new NodeInfo("node-1", Map.of(), List.of(IpAddress.of("192.168.0.1"))));
    m.nodes.add(new NodeInfo("node-2", Map.of(), List.of(IpAddress.of("192.168.0.2"))));
    m.workload("default", "tweet", "10.0.0.1", "node-1");
    m.workload("default", "jobs-api", "10.0.0.2", "node-1",
        new WorkloadInfo.NamedPort("http", 80, Protocol.TCP));
    m.workload("default", "recruiter", "10.0.0.3", "node-2");
    m.workload("default", "kafka", "10.0.0.4", "node-2",
        new WorkloadInfo.NamedPort("kafka", 9092, Protocol.TCP));
    m.workload("other", "spy", "10.0.1.1", "node-2");
    return m;
  }

  Mesh workload(String ns, String name, String ip, String node, WorkloadInfo.NamedPort... ports) {
    workloads.add(new WorkloadInfo(ns, name, Map.of("app", name), name, List.of(IpAddress.of(ip)),
        List.of(ports), "default", Optional.of(node)));
    return this;
  }

  Mesh add(LabelPolicy p) {
    label.add(p);
    return this;
  }

  Mesh add(AuthzPolicy p) {
    authz.add(p);
    return this;
  }

  Mesh add(MtlsPolicy p) {
    mtls.add(p);
    return this;
  }

  PolicyInputs inputs() {
    return new PolicyInputs(workloads, namespaces, nodes, label, authz, mtls);
  }

  PolicyEngine engine() {
    return PolicyEngine.compile(inputs(), EngineOptions.DEFAULTS);
  }
}
