package weft.bench.controlplane;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Accumulates one kind of change over the rounds. */
final class RoundLog {
  private final List<Integer> affected = new ArrayList<>();
  private final List<Integer> translated = new ArrayList<>();
  private final List<long[]> perProxy = new ArrayList<>();
  private final List<Long> allAcked = new ArrayList<>();
  private final List<Long> published = new ArrayList<>();
  private final List<long[]> translate = new ArrayList<>();
  private final List<long[]> translateCpu = new ArrayList<>();
  private long bytes;
  private CpuTime.Reading cpu = new CpuTime.Reading(0, 0);

  void add(int n, int retranslated, long[] acks, long publishedNanos, long[] translations, long[] translationsCpu, long b,
      CpuTime.Reading c) {
    affected.add(n);
    translated.add(retranslated);
    perProxy.add(acks);
    allAcked.add(Arrays.stream(acks).max().orElse(0));
    published.add(publishedNanos);
    translate.add(translations);
    translateCpu.add(translationsCpu);
    bytes += b;
    cpu = new CpuTime.Reading(cpu.process() + c.process(), cpu.proxies() + c.proxies());
  }

  ChangeResult result(String kind) {
    return new ChangeResult(kind, affected.stream().mapToInt(Integer::intValue).toArray(),
        translated.stream().mapToInt(Integer::intValue).toArray(), flat(perProxy),
        allAcked.stream().mapToLong(Long::longValue).toArray(), published.stream().mapToLong(Long::longValue).toArray(),
        flat(translate), flat(translateCpu), bytes, cpu);
  }

  private static long[] flat(List<long[]> parts) {
    return parts.stream().flatMapToLong(Arrays::stream).toArray();
  }
}
