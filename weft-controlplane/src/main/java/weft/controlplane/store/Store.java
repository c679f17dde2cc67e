package weft.controlplane.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.HashSet;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import weft.api.Resource;
import weft.api.ResourceKey;
import weft.api.ResourceSet;

/**
 * The control plane's resources, merged from named sources (files under the config dir, and
 * {@code api} for {@code weft apply}). Each source holds its last good content; a refused update
 * leaves it in force (STYLE.md principle 2). When two sources name the same resource, the source
 * that held it first keeps it and the other gets an error.
 *
 * <p>Thread-safe. Updates are serialised; listeners are called on the updating thread, in revision
 * order, after every change of state (content or status) and must not call back into the store's
 * update methods.
 */
public final class Store {
  /** Per source, its last good resources; insertion order decides conflicts (first one wins). */
  private final LinkedHashMap<String, List<Resource>> content = new LinkedHashMap<>();
  /** Per source, the refusal of its latest version, if refused. */
  private final Map<String, List<String>> refusals = new HashMap<>();
  private final Map<String, Long> lastGood = new HashMap<>();
  private final List<Consumer<StoreState>> listeners = new CopyOnWriteArrayList<>();
  private volatile StoreState state = StoreState.empty();

  /** The current state; never blocks. */
  public StoreState state() {
    return state;
  }

  /** Calls {@code listener} after every change, starting with nothing (call {@link #state()}). */
  public void addListener(Consumer<StoreState> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /** One change to one source; {@link #update} applies several as one revision. */
  public sealed interface Change {
    String source();

    /** {@code resources} become the source's content (accepted whole; keys must be unique). */
    record Put(String source, List<? extends Resource> resources) implements Change {
      public Put {
        Objects.requireNonNull(source, "source");
        resources = List.copyOf(resources);
        ResourceSet.of(resources); // refuses duplicate keys within one source
      }
    }

    /** The source's latest version was refused; its last good content stays in force. */
    record Reject(String source, List<String> errors) implements Change {
      public Reject {
        Objects.requireNonNull(source, "source");
        errors = List.copyOf(errors);
        if (errors.isEmpty()) {
          throw new IllegalArgumentException("reject " + source + " without errors");
        }
      }
    }

    /** The source is gone (a deleted file), and its resources with it. */
    record Remove(String source) implements Change {
      public Remove {
        Objects.requireNonNull(source, "source");
      }
    }
  }

  public StoreState put(String source, List<? extends Resource> resources) {
    return update(List.of(new Change.Put(source, resources)));
  }

  public StoreState reject(String source, List<String> errors) {
    return update(List.of(new Change.Reject(source, errors)));
  }

  public StoreState remove(String source) {
    return update(List.of(new Change.Remove(source)));
  }

  /** Applies {@code changes} in order, then merges once: at most one new revision, one notification. */
  public synchronized StoreState update(List<? extends Change> changes) {
    Set<String> changed = new HashSet<>();
    for (Change c : changes) {
      switch (c) {
        case Change.Put p -> {
          @SuppressWarnings("unchecked")
          List<Resource> resources = (List<Resource>) p.resources();
          if (!resources.equals(content.get(p.source()))) {
            changed.add(p.source());
          }
          content.put(p.source(), resources);
          refusals.remove(p.source());
        }
        case Change.Reject r -> {
          content.putIfAbsent(r.source(), List.of());
          refusals.put(r.source(), r.errors());
        }
        case Change.Remove r -> {
          content.remove(r.source());
          refusals.remove(r.source());
          lastGood.remove(r.source());
          changed.remove(r.source());
        }
      }
    }
    return commit(changed);
  }

  /**
   * The keys of {@code resources} that another source than {@code source} holds now, with that
   * source: what {@link #put} would report as conflicts. For all-or-nothing callers.
   */
  public synchronized Map<ResourceKey, String> conflicts(String source, List<? extends Resource> resources) {
    Map<ResourceKey, String> out = new TreeMap<>();
    for (Resource r : resources) {
      String owner = state.owners().get(r.key());
      if (owner != null && !owner.equals(source)) {
        out.put(r.key(), owner);
      }
    }
    return out;
  }

  private StoreState commit(Set<String> changedSources) {
    Map<ResourceKey, Resource> merged = new HashMap<>();
    Map<ResourceKey, String> owners = new HashMap<>();
    Map<String, List<String>> conflicts = new HashMap<>();
    List<String> order = new ArrayList<>(content.keySet());
    // a resource stays with the source that holds it now, as long as that source still defines it
    Map<String, Map<ResourceKey, Resource>> index = new HashMap<>();
    content.forEach((source, list) -> {
      Map<ResourceKey, Resource> byKey = new HashMap<>();
      list.forEach(r -> byKey.put(r.key(), r));
      index.put(source, byKey);
    });
    state.owners().forEach((key, owner) -> {
      Resource held = index.getOrDefault(owner, Map.of()).get(key);
      if (held != null) {
        claim(owner, held, merged, owners, conflicts);
      }
    });
    // then new claims, sources in the order they first appeared
    for (String source : order) {
      for (Resource r : content.get(source)) {
        if (!source.equals(owners.get(r.key()))) {
          claim(source, r, merged, owners, conflicts);
        }
      }
    }
    ResourceSet resources = ResourceSet.of(merged.values());
    boolean contentChanged = !resources.equals(state.resources());
    long revision = contentChanged ? state.revision() + 1 : state.revision();
    changedSources.forEach(source -> lastGood.put(source, revision));
    TreeMap<String, SourceStatus> statuses = new TreeMap<>();
    for (String source : order) {
      List<String> errors = new ArrayList<>(refusals.getOrDefault(source, List.of()));
      errors.addAll(conflicts.getOrDefault(source, List.of()));
      long good = lastGood.getOrDefault(source, 0L);
      statuses.put(source, errors.isEmpty() ? SourceStatus.good(good) : SourceStatus.failed(errors, good));
    }
    StoreState next = new StoreState(revision, resources, statuses, owners);
    if (!next.equals(state)) {
      state = next;
      for (Consumer<StoreState> l : listeners) {
        l.accept(next);
      }
    }
    return state;
  }

  private static void claim(String source, Resource r, Map<ResourceKey, Resource> merged,
      Map<ResourceKey, String> owners, Map<String, List<String>> conflicts) {
    String owner = owners.putIfAbsent(r.key(), source);
    if (owner == null) {
      merged.put(r.key(), r);
    } else {
      conflicts.computeIfAbsent(source, s -> new ArrayList<>())
          .add(r.key() + ": also defined by " + owner + ", which stays in force");
    }
  }
}
