package weft.bench.controlplane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import weft.api.ResourceSet;
import weft.api.load.LoadResult;
import weft.api.load.Loaded;
import weft.api.load.ResourceLoader;
import weft.controlplane.translate.TranslateOptions;
import weft.controlplane.translate.Translator;

class MeshFilesTest {
  private static final TranslateOptions OPTIONS = new TranslateOptions("cluster.local", "istio-system",
      "cluster.local", "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");

  @TempDir Path dir;

  private ResourceSet load(Path root) throws IOException {
    List<Loaded> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
        LoadResult r = ResourceLoader.parse(root.relativize(f).toString(), Files.readString(f));
        assertThat(r.errors()).as(f.toString()).isEmpty();
        all.addAll(r.loaded());
      }
    }
    return ResourceSet.of(all.stream().map(Loaded::resource).toList());
  }

  @Test
  void everyProxyGetsEveryServiceAndThePoliciesTranslateWithoutProblems() throws IOException {
    MeshFiles mesh = new MeshFiles(12, 30);
    mesh.write(dir);
    ResourceSet resources = load(dir);

    assertThat(resources.workloads()).hasSize(12);
    assertThat(resources.services()).hasSize(30);
    Translator.Translation t = Translator.translateAll(resources, OPTIONS);
    assertThat(t.problems()).isEmpty();
    assertThat(t.snapshots().keySet()).containsExactlyInAnyOrderElementsOf(mesh.nodeIds());
    // 30 outbound clusters (one per service port) plus the inbound one
    assertThat(t.snapshots().get("bench/w0").clusters()).hasSize(31);
    assertThat(t.snapshots().get("bench/w0").endpoints()).hasSize(30)
        .allSatisfy(cla -> assertThat(cla.getEndpoints(0).getLbEndpointsCount()).isEqualTo(1));
  }

  @Test
  void withSidecarScopeEachTierImportsTheServicesOfItsIndexModuloTen() throws IOException {
    new MeshFiles(12, 30, true).write(dir);
    Translator.Translation t = Translator.translateAll(load(dir), OPTIONS);
    assertThat(t.problems()).isEmpty();
    // tier t3 (w3): svc3, svc13, svc23, plus the inbound cluster
    assertThat(t.snapshots().get("bench/w3").clusters()).extracting(c -> c.getName())
        .containsExactly("inbound|8080||", "outbound|80||svc13.bench.svc.cluster.local",
            "outbound|80||svc23.bench.svc.cluster.local", "outbound|80||svc3.bench.svc.cluster.local");
    assertThat(t.snapshots().get("bench/w3").endpoints()).hasSize(3);
  }

  @Test
  void aPolicyEditChangesOnlyTheListenersOfTierZero() throws IOException {
    MeshFiles mesh = new MeshFiles(12, 30);
    mesh.write(dir);
    var before = Translator.translateAll(load(dir), OPTIONS).snapshots();
    MeshFiles.write(dir, MeshFiles.POLICY_FILE, mesh.tier0Policy(1));
    var after = Translator.translateAll(load(dir), OPTIONS).snapshots();

    // tier = index mod 10: w0 and w10
    for (String node : mesh.nodeIds()) {
      boolean tier0 = node.equals("bench/w0") || node.equals("bench/w10");
      assertThat(after.get(node).listeners().equals(before.get(node).listeners())).as(node).isEqualTo(!tier0);
      assertThat(after.get(node).clusters()).as(node).isEqualTo(before.get(node).clusters());
      assertThat(after.get(node).endpoints()).as(node).isEqualTo(before.get(node).endpoints());
    }
  }

  @Test
  void anAddedReplicaChangesOnlyTheEndpointsOfTheServicesItsOriginalBacks() throws IOException {
    MeshFiles mesh = new MeshFiles(12, 30);
    mesh.write(dir);
    var before = Translator.translateAll(load(dir), OPTIONS).snapshots();
    MeshFiles.write(dir, mesh.addedEndpointFile(3), mesh.addedEndpoint(3));
    var after = Translator.translateAll(load(dir), OPTIONS).snapshots();

    assertThat(after).containsKey("bench/added-3");
    assertThat(mesh.servicesBackedBy(3)).isEqualTo(3); // svc3, svc15, svc27
    for (String node : mesh.nodeIds()) {
      assertThat(after.get(node).listeners()).as(node).isEqualTo(before.get(node).listeners());
      assertThat(after.get(node).clusters()).as(node).isEqualTo(before.get(node).clusters());
      long twoEndpoints = after.get(node).endpoints().stream()
          .filter(cla -> cla.getEndpoints(0).getLbEndpointsCount() == 2).count();
      assertThat(twoEndpoints).as(node).isEqualTo(3);
    }
  }

  @ParameterizedTest(name = "workload {0} -> {1}")
  @CsvSource({"0, 10.0.0.1", "253, 10.0.0.254", "254, 10.0.1.1", "65024, 10.1.0.1"})
  void addressesAreDistinctTenDotsSkippingNetworkAndBroadcastHosts(int index, String address) {
    assertThat(MeshFiles.address(index)).isEqualTo(address);
  }

  @Test
  void rejectsAnEmptyMesh() {
    assertThatThrownBy(() -> new MeshFiles(0, 10)).hasMessage("proxies: 0 (expected: >= 1)");
    assertThatThrownBy(() -> new MeshFiles(1, 0)).hasMessage("services: 0 (expected: >= 1)");
  }
}
