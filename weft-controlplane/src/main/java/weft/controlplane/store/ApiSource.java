package weft.controlplane.store;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.api.Resource;
import weft.api.ResourceKey;
import weft.api.load.LoadError;
import weft.api.load.LoadResult;
import weft.api.load.Loaded;
import weft.api.load.ResourceLoader;

/**
 * The {@code api} source: resources applied and deleted through the HTTP API ({@code weft apply -f},
 * {@code weft delete -f}), validated by the same loader as files, all or nothing per request.
 *
 * <p>Persisted under {@code <data-dir>/api/applied.json} so a restart keeps them: the journal holds
 * each request body still in force with the keys it still owns, and is replayed at start. Writes are
 * atomic (temp file + rename). Thread-safe: requests are serialised.
 */
public final class ApiSource {
  public static final String SOURCE = "api";
  private static final Logger log = LoggerFactory.getLogger(ApiSource.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A request body in force, and the keys (as {@link ResourceKey#toString()}) it still owns. */
  record Entry(String body, List<String> keys) {}

  /** What a request did, or why it was refused. */
  public sealed interface Outcome {
    /** Accepted: the keys touched, and the store's revision after. */
    record Done(List<String> keys, long revision) implements Outcome {}

    /** Refused whole, nothing changed; {@code conflict} when the resources belong to a file. */
    record Refused(String error, List<String> details, boolean conflict) implements Outcome {}
  }

  private final Store store;
  private final Path journal;
  /** Per key, the resource in force, and the request body it came from; in application order. */
  private final LinkedHashMap<String, Resource> resources = new LinkedHashMap<>();
  private final LinkedHashMap<String, String> bodyOf = new LinkedHashMap<>();

  private ApiSource(Store store, Path journal) {
    this.store = store;
    this.journal = journal;
  }

  /** Replays the journal under {@code dataDir} (if any) into {@code store}. */
  public static ApiSource open(Store store, Path dataDir) throws IOException {
    ApiSource s = new ApiSource(store, dataDir.resolve("api").resolve("applied.json"));
    if (Files.exists(s.journal)) {
      List<Entry> entries = JSON.readValue(s.journal.toFile(), new TypeReference<List<Entry>>() {});
      for (Entry e : entries) {
        Set<String> keys = new java.util.HashSet<>(e.keys());
        for (Loaded l : ResourceLoader.parse(name(e.body()), e.body()).loaded()) {
          String key = l.resource().key().toString();
          if (keys.remove(key)) {
            s.resources.put(key, l.resource());
            s.bodyOf.put(key, e.body());
          }
        }
        if (!keys.isEmpty()) {
          // only if this weft validates more strictly than the one that accepted them
          log.warn("{}: applied resources no longer valid, not restored: {}", s.journal, keys);
        }
      }
      log.info("restored {} applied resources from {}", s.resources.size(), s.journal);
      if (!s.resources.isEmpty()) {
        store.put(SOURCE, List.copyOf(s.resources.values()));
      }
    }
    return s;
  }

  /** Applies every resource in {@code body} (YAML or JSON documents), or none. */
  public synchronized Outcome apply(String body) {
    LoadResult result = ResourceLoader.parse(name(body), body);
    if (!result.ok()) {
      return refused("invalid resources: nothing applied",
          result.errors().stream().map(LoadError::toString).toList(), false);
    }
    if (result.loaded().isEmpty()) {
      return refused("no resources in the request: nothing applied", List.of(), false);
    }
    List<Resource> incoming = result.loaded().stream().map(Loaded::resource).toList();
    Map<ResourceKey, String> conflicts = store.conflicts(SOURCE, incoming);
    if (!conflicts.isEmpty()) {
      List<String> details = new ArrayList<>();
      conflicts.forEach((k, owner) -> details.add(k + ": defined by " + owner + "; change it there"));
      return refused("resources owned by the config dir: nothing applied", details, true);
    }
    LinkedHashMap<String, Resource> next = new LinkedHashMap<>(resources);
    LinkedHashMap<String, String> nextBodies = new LinkedHashMap<>(bodyOf);
    List<String> keys = new ArrayList<>();
    for (Resource r : incoming) {
      String key = r.key().toString();
      next.remove(key); // re-applied resources move to the end, with their new body
      next.put(key, r);
      nextBodies.remove(key);
      nextBodies.put(key, body);
      keys.add(key);
    }
    return commit(next, nextBodies, keys);
  }

  /**
   * Deletes every resource {@code body} names (its documents need a kind and name, not a valid
   * spec), or none: naming one the API does not hold refuses the request.
   */
  public synchronized Outcome delete(String body) {
    LoadResult result = ResourceLoader.parse(name(body), body);
    Set<String> named = new LinkedHashSet<>();
    result.loaded().forEach(l -> named.add(l.resource().key().toString()));
    result.rejected().forEach(k -> named.add(k.toString()));
    List<String> details = new ArrayList<>();
    result.errors().stream()
        .filter(e -> !named.contains(e.resource()))
        .forEach(e -> details.add(e + " (cannot tell which resource to delete)"));
    Map<ResourceKey, String> owners = store.state().owners();
    for (String key : named) {
      if (!resources.containsKey(key)) {
        String owner = owners.entrySet().stream().filter(e -> e.getKey().toString().equals(key))
            .map(Map.Entry::getValue).findFirst().orElse(null);
        details.add(key + (owner == null ? ": not found" : ": defined by " + owner + "; delete it there"));
      }
    }
    if (!details.isEmpty() || named.isEmpty()) {
      return refused(named.isEmpty() && details.isEmpty()
          ? "no resources in the request: nothing deleted" : "cannot delete: nothing deleted", details, false);
    }
    LinkedHashMap<String, Resource> next = new LinkedHashMap<>(resources);
    LinkedHashMap<String, String> nextBodies = new LinkedHashMap<>(bodyOf);
    named.forEach(k -> {
      next.remove(k);
      nextBodies.remove(k);
    });
    return commit(next, nextBodies, List.copyOf(named));
  }

  private Outcome commit(LinkedHashMap<String, Resource> next, LinkedHashMap<String, String> nextBodies, List<String> keys) {
    try {
      persist(nextBodies);
    } catch (IOException e) {
      log.error("cannot write {}", journal, e);
      return refused("cannot persist applied resources: nothing changed", List.of(journal + ": " + e.getMessage()), false);
    }
    resources.clear();
    resources.putAll(next);
    bodyOf.clear();
    bodyOf.putAll(nextBodies);
    StoreState s = store.put(SOURCE, List.copyOf(resources.values()));
    return new Outcome.Done(keys, s.revision());
  }

  private void persist(Map<String, String> bodies) throws IOException {
    LinkedHashMap<String, List<String>> byBody = new LinkedHashMap<>();
    bodies.forEach((key, body) -> byBody.computeIfAbsent(body, b -> new ArrayList<>()).add(key));
    List<Entry> entries = new ArrayList<>();
    byBody.forEach((body, keys) -> entries.add(new Entry(body, keys)));
    Files.createDirectories(journal.getParent());
    Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
    JSON.writeValue(tmp.toFile(), entries);
    Files.move(tmp, journal, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Outcome refused(String error, List<String> details, boolean conflict) {
    return new Outcome.Refused(error, details, conflict);
  }

  /** The loader picks JSON or YAML by file name; a request body has none, so look at it. */
  private static String name(String body) {
    String t = body.stripLeading();
    return t.startsWith("{") || t.startsWith("[") ? "request.json" : "request.yaml";
  }
}
