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
 * the bench reads the translation share of a change from the real pipeline.
 *
 * <p>Called on the control plane's translate thread and, for the full-translation figure, on the
 * bench's thread while the control plane is idle; the record is synchronized.
 */
final class TimedTranslator implements SnapshotTranslator {
  private final TranslateOptions options;
  private final List<Long> nanos = new ArrayList<>();
  private volatile List<String> lastProblems = List.of();

  TimedTranslator(TranslateOptions options) {
    this.options = options;
  }

  @Override
  public Translator.Translation translate(ResourceSet resources) {
    long start = System.nanoTime();
    Translator.Translation t = Translator.translateAll(resources, options);
    long took = System.nanoTime() - start;
    synchronized (nanos) {
      nanos.add(took);
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

  /** The durations of the translations numbered {@code from} (inclusive) onwards. */
  long[] since(int from) {
    synchronized (nanos) {
      return nanos.subList(Math.min(from, nanos.size()), nanos.size()).stream().mapToLong(Long::longValue).toArray();
    }
  }

  /** What the last translation could not translate (each names the resource and field). */
  List<String> lastProblems() {
    return lastProblems;
  }
}
