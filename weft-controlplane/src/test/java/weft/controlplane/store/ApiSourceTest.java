package weft.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import weft.api.load.Loaded;
import weft.api.load.ResourceLoader;

class ApiSourceTest {
  @TempDir Path dataDir;
  private final Store store = new Store();

  @Test
  void appliesAllOrNothing() throws Exception {
    ApiSource api = ApiSource.open(store, dataDir);
    var done = api.apply(Docs.workload("a", "127.0.0.2") + "---\n" + Docs.workload("b", "127.0.0.3"));
    assertThat(done).isEqualTo(new ApiSource.Outcome.Done(List.of("Workload default/a", "Workload default/b"), 1));

    var refused = api.apply(Docs.workload("c", "127.0.0.4") + "---\n" + Docs.broken("d"));
    assertThat(refused).isInstanceOfSatisfying(ApiSource.Outcome.Refused.class, r -> {
      assertThat(r.error()).isEqualTo("invalid resources: nothing applied");
      assertThat(r.details()).singleElement().asString().contains("Workload default/d: spec.adresses");
    });
    assertThat(store.state().resources().workload("default", "c")).isEmpty();
    assertThat(store.state().revision()).isEqualTo(1);
  }

  @Test
  void refusesResourcesAFileOwns() throws Exception {
    store.put("a.yaml", ResourceLoader.parse("a.yaml", Docs.workload("a", "127.0.0.2")).loaded()
        .stream().map(Loaded::resource).toList());
    ApiSource api = ApiSource.open(store, dataDir);
    assertThat(api.apply(Docs.workload("a", "127.0.0.9"))).isInstanceOfSatisfying(ApiSource.Outcome.Refused.class,
        r -> assertThat(r.details()).containsExactly("Workload default/a: defined by a.yaml; change it there"));
    assertThat(api.delete(Docs.workload("a", "127.0.0.9"))).isInstanceOfSatisfying(ApiSource.Outcome.Refused.class,
        r -> assertThat(r.details()).containsExactly("Workload default/a: defined by a.yaml; delete it there"));
  }

  @Test
  void deletesByNameEvenWhenTheSpecIsInvalidAndRefusesUnknownNames() throws Exception {
    ApiSource api = ApiSource.open(store, dataDir);
    api.apply(Docs.workload("a", "127.0.0.2"));
    assertThat(api.delete(Docs.workload("a", "127.0.0.2") + "---\n" + Docs.workload("zz", "127.0.0.3")))
        .isInstanceOfSatisfying(ApiSource.Outcome.Refused.class,
            r -> assertThat(r.details()).containsExactly("Workload default/zz: not found"));
    assertThat(store.state().resources().workload("default", "a")).isPresent();
    assertThat(api.delete(Docs.broken("a"))).isInstanceOf(ApiSource.Outcome.Done.class);
    assertThat(store.state().resources().workload("default", "a")).isEmpty();
  }

  @Test
  void aRestartKeepsAppliedResources() throws Exception {
    ApiSource api = ApiSource.open(store, dataDir);
    api.apply(Docs.workload("a", "127.0.0.2") + "---\n" + Docs.workload("b", "127.0.0.3"));
    api.apply(Docs.workload("a", "127.0.0.7"));
    api.delete(Docs.workload("b", "127.0.0.3"));

    Store restarted = new Store();
    ApiSource.open(restarted, dataDir);
    assertThat(restarted.state().resources().workloads()).singleElement()
        .satisfies(w -> assertThat(w.addresses().getFirst().getHostAddress()).isEqualTo("127.0.0.7"));
    assertThat(restarted.state().sources()).containsOnlyKeys("api");
  }
}
