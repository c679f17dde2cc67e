package weft.bench.controlplane;

import java.util.ArrayList;
import java.util.List;
import weft.api.ResourceSet;
import weft.controlplane.SnapshotTranslator;
import weft.controlplane.translate.TranslateOptions;
import weft.controlplane.translate.Translator;

/**
 * The control plane's own translation ({@link Translator#translateAll}, what {@code
 * ControlPlane.start} uses when given no translator) with the wall time of every call recorded, so
 * the bench reads the translation share of a change from the real pipeline. CPU time is the
 * translating thread's own, which a busy machine does not inflate as it does wall time.
 *
 * <p>Called on the control plane's translate thread and, for the full-translation figure, on the
 * bench's thread while the control plane is idle; the record is synchronized.
 */
final class TimedTranslator implements SnapshotTranslator {
  private final TranslateOptions options;
  private final List<Long> nanos = new ArrayList<>();
  private final List<Long> cpuNanos = new ArrayList<>();
  private volatile List<String> lastProblems = List.of();

  TimedTranslator(TranslateOptions options) {
    this.options = options;
  }

  @Override
  public Translator.Translation translate(ResourceSet resources) {
    long cpu = CpuTime.currentThread();
    long start = System.nanoTime();
    Translator.Translation t = Translator.translateAll(resources, options);
    long took = System.nanoTime() - start;
    cpu = CpuTime.currentThread() - cpu;
    synchronized (nanos) {
      nanos.add(took);
      cpuNanos.add(cpu);
    }
    lastProblems = t.problems();
    return t;
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
