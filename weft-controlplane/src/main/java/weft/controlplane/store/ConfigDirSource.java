package weft.controlplane.store;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import weft.api.load.LoadError;
import weft.api.load.LoadResult;
import weft.api.load.Loaded;
import weft.api.load.ResourceLoader;

/**
 * Feeds the store from a directory of YAML/JSON files, recursively: one source per file, named by
 * its path relative to the directory ({@code policies/jobs.yaml}). A file that fails to load is
 * rejected with its errors and its last good version stays in force; a deleted file's resources go.
 *
 * <p>Change detection: the JDK {@link WatchService} on every directory (events trigger a rescan,
 * debounced so an editor's burst of writes costs one load) plus a periodic rescan as a safety net
 * for missed events and platforms that poll. A rescan reloads only files whose bytes changed. All of
 * it runs on one daemon thread of its own; nothing else waits for it.
 */
public final class ConfigDirSource implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ConfigDirSource.class);
  static final Duration DEBOUNCE = Duration.ofMillis(100);
  static final Duration RESCAN = Duration.ofSeconds(5);

  private final Path dir;
  private final Store store;
  private final ScheduledExecutorService executor;
  private final WatchService watcher;
  private final Thread watchThread;
  /** Per source name, the bytes last loaded; touched only on the executor thread. */
  private final Map<String, String> seen = new HashMap<>();
  private final Set<Path> watchedDirs = new HashSet<>();
  private ScheduledFuture<?> pending;

  private ConfigDirSource(Path dir, Store store) throws IOException {
    this.dir = dir.toAbsolutePath().normalize();
    this.store = store;
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "weft-config-dir");
      t.setDaemon(true);
      return t;
    });
    this.watcher = this.dir.getFileSystem().newWatchService();
    this.watchThread = Thread.ofPlatform().daemon().name("weft-config-watch").unstarted(this::watchLoop);
  }

  /**
   * Loads every file under {@code dir} into {@code store} (before returning), then watches it.
   *
   * @throws IOException if {@code dir} is not a readable directory
   */
  public static ConfigDirSource start(Path dir, Store store) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("config dir " + dir + ": not a directory");
    }
    ConfigDirSource s = new ConfigDirSource(dir, store);
    try {
      s.executor.submit(s::rescan).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while loading " + dir, e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IOException("cannot load " + dir + ": " + e.getCause(), e.getCause());
    }
    s.watchThread.start();
    s.executor.scheduleWithFixedDelay(s::rescan, RESCAN.toMillis(), RESCAN.toMillis(), TimeUnit.MILLISECONDS);
    log.info("watching {} for resources ({} files)", s.dir, s.seen.size());
    return s;
  }

  public Path dir() {
    return dir;
  }

  private void watchLoop() {
    try {
      while (true) {
        WatchKey key = watcher.take();
        key.pollEvents(); // which file changed does not matter: the rescan compares bytes
        key.reset();
        executor.execute(this::debounce);
      }
    } catch (InterruptedException | ClosedWatchServiceException | java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** Runs on the executor: (re)schedules one rescan {@link #DEBOUNCE} after the last event. */
  private void debounce() {
    if (pending != null) {
      pending.cancel(false);
    }
    pending = executor.schedule(this::rescan, DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Runs on the executor thread only. */
  private void rescan() {
    try {
      List<Store.Change> changes = new ArrayList<>();
      Set<String> present = new TreeSet<>();
      for (Path file : walk()) {
        String name = dir.relativize(file).toString().replace('\\', '/');
        String text;
        try {
          text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          continue; // deleted while we walked
        } catch (IOException e) {
          present.add(name);
          if (!("\0unreadable " + e).equals(seen.put(name, "\0unreadable " + e))) {
            changes.add(new Store.Change.Reject(name, List.of(name + ": cannot read file: " + e.getMessage())));
          }
          continue;
        }
        present.add(name);
        if (text.equals(seen.put(name, text))) {
          continue;
        }
        changes.add(load(name, text));
      }
      for (String gone : List.copyOf(seen.keySet())) {
        if (!present.contains(gone)) {
          seen.remove(gone);
          changes.add(new Store.Change.Remove(gone));
          log.info("{}: deleted, its resources are removed", gone);
        }
      }
      if (!changes.isEmpty()) {
        store.update(changes); // one revision for everything this scan found
      }
    } catch (RuntimeException | IOException e) {
      log.error("rescan of {} failed; will retry", dir, e);
    }
  }

  private static Store.Change load(String name, String text) {
    LoadResult result = ResourceLoader.parse(name, text);
    if (result.ok()) {
      log.info("{}: loaded {} resources", name, result.loaded().size());
      return new Store.Change.Put(name, result.loaded().stream().map(Loaded::resource).toList());
    }
    List<String> errors = result.errors().stream().map(LoadError::toString).toList();
    log.warn("{}: refused, its last good version stays in force:\n  {}", name, String.join("\n  ", errors));
    return new Store.Change.Reject(name, errors);
  }

  private List<Path> walk() throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = paths.toList();
      for (Path p : all) {
        if (Files.isDirectory(p) && watchedDirs.add(p)) {
          p.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
        }
      }
      watchedDirs.removeIf(p -> !Files.isDirectory(p));
      return all.stream().filter(Files::isRegularFile).filter(ConfigDirSource::resourceFile).sorted().toList();
    }
  }

  private static boolean resourceFile(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    boolean hidden = name.startsWith("."); // editors' swap and backup files
    return !hidden && (name.endsWith(".yaml") || name.endsWith(".yml") || name.endsWith(".json"));
  }

  @Override
  public void close() {
    executor.shutdownNow();
    try {
      watcher.close();
    } catch (IOException e) {
      log.debug("closing the watch service", e);
    }
    watchThread.interrupt();
  }
}
