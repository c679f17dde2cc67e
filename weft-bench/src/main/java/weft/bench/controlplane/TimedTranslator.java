package weft.bench.controlplane;

import java.util.ArrayList;
import java.util.List;
import weft.api.ResourceSet;
import weft.controlplane.SnapshotTranslator;
import weft.controlplane.translate.IncrementalTranslator;
import weft.controlplane.translate.TranslateOptions;
import weft.controlplane.translate.Translator;

/**
 * The control plane's own translation ({@link IncrementalTranslator}, what {@code ControlPlane.start}
 * uses when given no translator) with the wall time of every call and how many proxies it
 * re-translated recorded, so the bench reads the translation share of a change from the real
 * pipeline. CPU time is the translating thread's own, which a busy machine does not inflate as it
 * does wall time. {@link #translateFromScratch} times {@link Translator#translateAll} (every proxy).
 *
 * <p>{@link #translate} is called on the control plane's translate thread only, {@link
 * #translateFromScratch} on the bench's thread while the control plane is idle; the record is
 * synchronized.
 */
final class TimedTranslator implements SnapshotTranslator {
  private final TranslateOptions options;
  private final IncrementalTranslator incremental;
  private final List<Integer> translated = new ArrayList<>();
  private final List<Long> nanos = new ArrayList<>();
  private final List<Long> cpuNanos = new ArrayList<>();
  private volatile List<String> lastProblems = List.of();

  TimedTranslator(TranslateOptions options) {
    this.options = options;
    this.incremental = new IncrementalTranslator(options);
  }

  @Override
  public Translator.Translation translate(ResourceSet resources) {
    return timed(() -> incremental.translate(resources), true);
  }

  /** A translation of every proxy, as the first revision gets. */
  Translator.Translation translateFromScratch(ResourceSet resources) {
    return timed(() -> Translator.translateAll(resources, options), false);
  }

  private Translator.Translation timed(java.util.function.Supplier<Translator.Translation> f, boolean pipeline) {
    long cpu = CpuTime.currentThread();
    long start = System.nanoTime();
    Translator.Translation t = f.get();
    long took = System.nanoTime() - start;
    cpu = CpuTime.currentThread() - cpu;
    synchronized (nanos) {
      nanos.add(took);
      cpuNanos.add(cpu);
      translated.add(pipeline ? incremental.lastTranslated().size() : t.snapshots().size());
    }
    lastProblems = t.problems();
    return t;
  }

  /** How many proxies the translations numbered {@code from} onwards re-translated, in all. */
  int translatedSince(int from) {
    synchronized (nanos) {
      return translated.subList(Math.min(from, translated.size()), translated.size()).stream()
          .mapToInt(Integer::intValue).sum();
    }
  }

  /** How many translations ran so far. */
  int count() {
    synchronized (nanos) {
      return nanos.size();
    }
  }

  /** The wall time of the translations numbered {@code from} (inclusive) onwards. */
  long[] since(int from) {
    return since(nanos, from);
  }

  /** The translating thread's CPU time of the translations numbered {@code from} onwards. */
  long[] cpuSince(int from) {
    return since(cpuNanos, from);
  }

  private long[] since(List<Long> list, int from) {
    synchronized (nanos) {
      return list.subList(Math.min(from, list.size()), list.size()).stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** What the last translation could not translate (each names the resource and field). */
  List<String> lastProblems() {
    return lastProblems;
  }
}
