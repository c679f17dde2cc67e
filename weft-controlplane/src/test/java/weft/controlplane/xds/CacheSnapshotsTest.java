package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import io.envoyproxy.controlplane.cache.Resources;
import io.envoyproxy.controlplane.cache.v3.Snapshot;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

class CacheSnapshotsTest {
  private static final XdsServer.TypeVersions VERSIONS = new XdsServer.TypeVersions("1", "2", "3", "4", "5");

  @Test
  void servesWhatJavaControlPlanesOwnSnapshotServesWithTheSameVersions() {
    Cluster shared = XdsServerTest.cluster("shared");
    ProxySnapshot a = ProxySnapshot.of(List.of(Listener.newBuilder().setName("la").build()), List.of(),
        List.of(shared, XdsServerTest.cluster("a")), List.of(), List.of());
    ProxySnapshot b = ProxySnapshot.of(List.of(), List.of(), List.of(shared), List.of(), List.of());
    CacheSnapshots built = new CacheSnapshots();
    for (ProxySnapshot s : List.of(a, b)) {
      Snapshot ours = built.snapshot(s, VERSIONS);
      Snapshot theirs = Snapshot.create(s.clusters(), "3", s.endpoints(), "4", s.listeners(), "1",
          s.routes(), "2", s.secrets(), "5");
      for (Resources.ResourceType type : Resources.ResourceType.values()) {
        assertThat(ours.version(type)).as(type.name()).isEqualTo(theirs.version(type));
        assertThat(ours.versionedResources(type)).as(type.name()).isEqualTo(theirs.versionedResources(type));
      }
    }
  }

  @Test
  void wrapsAResourceSharedByTwoNodesOnce() {
    Cluster shared = XdsServerTest.cluster("shared");
    ProxySnapshot a = ProxySnapshot.of(List.of(), List.of(), List.of(shared), List.of(), List.of());
    ProxySnapshot b = ProxySnapshot.of(List.of(), List.of(), List.of(shared), List.of(), List.of());
    CacheSnapshots built = new CacheSnapshots();
    assertThat(built.snapshot(a, VERSIONS).clusters().versionedResources().get("shared"))
        .isSameAs(built.snapshot(b, VERSIONS).clusters().versionedResources().get("shared"));
  }

  @Test
  void aListSharedByTwoNodesAtOneVersionGetsOneResourceMap() {
    List<Cluster> shared = List.of(XdsServerTest.cluster("a"), XdsServerTest.cluster("b"));
    ProxySnapshot a = ProxySnapshot.of(List.of(), List.of(), shared, List.of(), List.of());
    ProxySnapshot b = ProxySnapshot.of(List.of(), List.of(), shared, List.of(), List.of());
    CacheSnapshots built = new CacheSnapshots();
    Snapshot first = built.snapshot(a, VERSIONS);
    assertThat(built.snapshot(b, VERSIONS).clusters()).isSameAs(first.clusters());
    Snapshot older = built.snapshot(b, new XdsServer.TypeVersions("1", "2", "0", "4", "5"));
    assertThat(older.version(Resources.ResourceType.CLUSTER)).isEqualTo("0");
    assertThat(first.version(Resources.ResourceType.CLUSTER)).isEqualTo("3");
  }
}
