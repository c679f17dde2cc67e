package weft.controlplane.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import weft.api.Resource;
import weft.api.load.Loaded;
import weft.api.load.ResourceLoader;

class StoreTest {
  private final Store store = new Store();

  private static List<Resource> parse(String yaml) {
    var result = ResourceLoader.parse("t.yaml", yaml);
    assertThat(result.errors()).isEmpty();
    return result.loaded().stream().map(Loaded::resource).toList();
  }

  private static List<String> names(StoreState s) {
    return s.resources().workloads().stream().map(w -> w.metadata().name() + "@" + w.addresses()).toList();
  }

  @Test
  void putMakesResourcesInForceAndBumpsTheRevision() {
    StoreState s = store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2")));
    assertThat(s.revision()).isEqualTo(1);
    assertThat(names(s)).containsExactly("a@[/127.0.0.2]");
    assertThat(s.sources().get("a.yaml")).isEqualTo(new SourceStatus(true, List.of(), 1));
  }

  @Test
  void revisionChangesOnlyWhenTheMergedContentChanges() {
    store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2")));
    assertThat(store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2"))).revision()).isEqualTo(1);
    assertThat(store.put("empty.yaml", List.of()).revision()).isEqualTo(1);
    assertThat(store.reject("a.yaml", List.of("boom")).revision()).isEqualTo(1);
    assertThat(store.put("a.yaml", parse(Docs.workload("a", "127.0.0.3"))).revision()).isEqualTo(2);
  }

  @Test
  void aRejectedVersionLeavesTheLastGoodOneInForceAndReportsErrors() {
    store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2")));
    StoreState s = store.reject("a.yaml", List.of("a.yaml[0]: bad field"));
    assertThat(names(s)).containsExactly("a@[/127.0.0.2]");
    assertThat(s.sources().get("a.yaml")).isEqualTo(new SourceStatus(false, List.of("a.yaml[0]: bad field"), 1));
    assertThat(s.failing()).containsOnlyKeys("a.yaml");
    // fixing it clears the error
    assertThat(store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2"))).failing()).isEmpty();
  }

  @Test
  void aSourceRejectedBeforeItWasEverGoodContributesNothing() {
    StoreState s = store.reject("new.yaml", List.of("invalid"));
    assertThat(s.resources().size()).isZero();
    assertThat(s.sources().get("new.yaml").lastGoodRevision()).isZero();
  }

  @Test
  void removingASourceRemovesItsResources() {
    store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2")));
    store.put("b.yaml", parse(Docs.workload("b", "127.0.0.3")));
    StoreState s = store.remove("a.yaml");
    assertThat(names(s)).containsExactly("b@[/127.0.0.3]");
    assertThat(s.sources()).containsOnlyKeys("b.yaml");
    assertThat(s.revision()).isEqualTo(3);
  }

  @Test
  void onConflictTheFirstSourceKeepsTheResourceAndTheLaterOneGetsAnError() {
    store.put("z-first.yaml", parse(Docs.workload("a", "127.0.0.2")));
    StoreState s = store.put("a-later.yaml", parse(Docs.workload("a", "127.0.0.9")));
    assertThat(names(s)).containsExactly("a@[/127.0.0.2]");
    assertThat(s.sources().get("a-later.yaml").errors())
        .containsExactly("Workload default/a: also defined by z-first.yaml, which stays in force");
    assertThat(s.sources().get("z-first.yaml").ok()).isTrue();
    assertThat(store.conflicts("api", parse(Docs.workload("a", "127.0.0.1"))))
        .hasSize(1).containsValue("z-first.yaml");
    // the first one goes: the later one takes over, and its error clears
    s = store.remove("z-first.yaml");
    assertThat(names(s)).containsExactly("a@[/127.0.0.9]");
    assertThat(s.failing()).isEmpty();
  }

  @Test
  void listenersSeeEveryChangeInRevisionOrder() {
    List<Long> seen = new ArrayList<>();
    store.addListener(s -> seen.add(s.revision()));
    store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2")));
    store.put("a.yaml", parse(Docs.workload("a", "127.0.0.2"))); // no change: no call
    store.reject("a.yaml", List.of("bad")); // status change: a call, same revision
    store.put("b.yaml", parse(Docs.workload("b", "127.0.0.3")));
    assertThat(seen).containsExactly(1L, 1L, 2L);
  }

  @Test
  void aBatchOfChangesIsOneRevisionAndOneNotification() {
    store.put("old.yaml", parse(Docs.workload("old", "127.0.0.1")));
    List<Long> seen = new ArrayList<>();
    store.addListener(s -> seen.add(s.revision()));
    StoreState s = store.update(List.of(
        new Store.Change.Put("a.yaml", parse(Docs.workload("a", "127.0.0.2"))),
        new Store.Change.Reject("b.yaml", List.of("bad")),
        new Store.Change.Remove("old.yaml")));
    assertThat(seen).containsExactly(2L);
    assertThat(names(s)).containsExactly("a@[/127.0.0.2]");
    assertThat(s.sources().keySet()).containsExactly("a.yaml", "b.yaml");
    assertThat(s.sources().get("a.yaml").lastGoodRevision()).isEqualTo(2);
  }
}
