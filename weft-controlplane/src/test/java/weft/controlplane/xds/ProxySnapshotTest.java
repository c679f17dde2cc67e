package weft.controlplane.xds;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProxySnapshotTest {
  @Test
  void equalContentHasEqualHashes() {
    assertThat(XdsServerTest.snapshot(List.of("a", "b"), List.of("l")).contentHash())
        .isEqualTo(XdsServerTest.snapshot(List.of("a", "b"), List.of("l")).contentHash());
  }

  @Test
  void anyChangedFieldChangesTheHash() {
    ProxySnapshot base = XdsServerTest.snapshot(List.of("a"), List.of());
    Cluster changed = XdsServerTest.cluster("a").toBuilder().setAltStatName("x").build();
    assertThat(ProxySnapshot.of(List.of(), List.of(), List.of(changed), List.of(), List.of())
        .contentHash()).isNotEqualTo(base.contentHash());
  }

  @Test
  void theSameNameInAnotherTypeIsAnotherSnapshot() {
    // an empty Listener and an empty Cluster serialize alike: the type boundary must count
    ProxySnapshot asListener = ProxySnapshot.of(List.of(Listener.getDefaultInstance()),
        List.of(), List.of(), List.of(), List.of());
    ProxySnapshot asCluster = ProxySnapshot.of(List.of(), List.of(),
        List.of(Cluster.getDefaultInstance()), List.of(), List.of());
    assertThat(asListener.contentHash()).isNotEqualTo(asCluster.contentHash());
  }

  @Test
  void mapFieldsHashTheSameWhateverTheirInsertionOrder() {
    Struct ab = Struct.newBuilder().putFields("a", Value.newBuilder().setNumberValue(1).build())
        .putFields("b", Value.newBuilder().setNumberValue(2).build()).build();
    Struct ba = Struct.newBuilder().putFields("b", Value.newBuilder().setNumberValue(2).build())
        .putFields("a", Value.newBuilder().setNumberValue(1).build()).build();
    Cluster c1 = Cluster.newBuilder().setName("c")
        .setMetadata(Metadata.newBuilder().putFilterMetadata("weft", ab)).build();
    Cluster c2 = Cluster.newBuilder().setName("c")
        .setMetadata(Metadata.newBuilder().putFilterMetadata("weft", ba)).build();
    assertThat(ProxySnapshot.of(List.of(), List.of(), List.of(c1), List.of(), List.of())
        .contentHash())
        .isEqualTo(ProxySnapshot.of(List.of(), List.of(), List.of(c2), List.of(), List.of())
            .contentHash());
  }

  @Test
  void aSharedHasherGivesTheHashesOfIndependentSnapshots() {
    Cluster shared = XdsServerTest.cluster("a");
    Cluster other = XdsServerTest.cluster("b");
    ProxySnapshot.Hasher hasher = new ProxySnapshot.Hasher();
    ProxySnapshot first = ProxySnapshot.of(List.of(), List.of(), List.of(shared, other), List.of(), List.of(), hasher);
    ProxySnapshot second = ProxySnapshot.of(List.of(), List.of(), List.of(shared), List.of(), List.of(), hasher);
    assertThat(first.contentHash())
        .isEqualTo(ProxySnapshot.of(List.of(), List.of(), List.of(shared, other), List.of(), List.of()).contentHash());
    assertThat(second.contentHash())
        .isEqualTo(ProxySnapshot.of(List.of(), List.of(), List.of(shared), List.of(), List.of()).contentHash())
        .isNotEqualTo(first.contentHash());
  }

  @Test
  void aListSharedByTwoSnapshotsHashesAsItsContent() {
    List<Cluster> shared = List.of(XdsServerTest.cluster("a"), XdsServerTest.cluster("b"));
    ProxySnapshot.Hasher hasher = new ProxySnapshot.Hasher();
    ProxySnapshot asClusters = ProxySnapshot.of(List.of(), List.of(), shared, List.of(), List.of(), hasher);
    ProxySnapshot again = ProxySnapshot.of(List.of(), List.of(), shared, List.of(), List.of(), hasher);
    assertThat(again).isEqualTo(asClusters);
    assertThat(again.clusters()).isSameAs(shared);
    assertThat(again.contentHash()).isEqualTo(ProxySnapshot.of(List.of(), List.of(),
        List.of(XdsServerTest.cluster("a"), XdsServerTest.cluster("b")), List.of(), List.of()).contentHash());
  }
}
