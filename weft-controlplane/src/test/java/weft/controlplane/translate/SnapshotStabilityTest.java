package weft.controlplane.translate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import weft.controlplane.xds.ProxySnapshot;

class SnapshotStabilityTest {
  private static Map<String, String> hashes(Map<String, ProxySnapshot> snapshots) {
    Map<String, String> out = new TreeMap<>();
    snapshots.forEach((k, v) -> out.put(k, v.contentHash()));
    return out;
  }

  @Test
  void sameInputGivesTheSameSnapshots() {
    var a = Mesh.translate(Mesh.BASE);
    var b = Mesh.translate(Mesh.BASE);
    assertThat(hashes(b.snapshots())).isEqualTo(hashes(a.snapshots()));
    assertThat(b.snapshots()).isEqualTo(a.snapshots());
    assertThat(b.proxyless().contentHash()).isEqualTo(a.proxyless().contentHash());
  }

  @Test
  void anAuthorizationPolicyChangesOnlyTheSnapshotsOfTheWorkloadsItSelects() {
    String deny = """
        apiVersion: security.istio.io/v1
        kind: AuthorizationPolicy
        metadata: {name: deny, namespace: jobs}
        spec: {selector: {matchLabels: {version: v2}}, action: DENY, rules: [{to: [{operation: {methods: [POST]}}]}]}
        """;
    Map<String, String> before = hashes(Mesh.translate(Mesh.BASE).snapshots());
    Map<String, String> after = hashes(Mesh.translate(Mesh.BASE, deny).snapshots());
    assertThat(after.get("jobs/jobs-v2")).isNotEqualTo(before.get("jobs/jobs-v2"));
    assertThat(after.get("jobs/jobs-v1")).isEqualTo(before.get("jobs/jobs-v1"));
    assertThat(after.get("social/tweet-1")).isEqualTo(before.get("social/tweet-1"));
  }

  @Test
  void aVirtualServiceChangesTheCallersNotTheCallees() {
    String vs = """
        apiVersion: networking.istio.io/v1
        kind: VirtualService
        metadata: {name: jobs, namespace: jobs}
        spec: {hosts: [jobs], http: [{route: [{destination: {host: jobs}}], timeout: 2s}]}
        """;
    Map<String, String> before = hashes(Mesh.translate(Mesh.BASE).snapshots());
    Map<String, String> after = hashes(Mesh.translate(Mesh.BASE, vs).snapshots());
    // every proxy can call jobs, so every outbound route table changes; the policy-side inbound does not
    assertThat(after.keySet()).isEqualTo(before.keySet());
    after.forEach((node, hash) -> assertThat(hash).as(node).isNotEqualTo(before.get(node)));
    var b = Mesh.translate(Mesh.BASE).snapshots().get("jobs/jobs-v1");
    var a = Mesh.translate(Mesh.BASE, vs).snapshots().get("jobs/jobs-v1");
    assertThat(a.listeners()).isEqualTo(b.listeners());
    assertThat(a.clusters()).isEqualTo(b.clusters());
  }
}
