package weft.proxy.observe;

import java.util.concurrent.atomic.LongAdder;

/** A monotonically increasing count, e.g. {@code cluster.backend.upstream_rq_total}. Lock-free. */
public final class Counter {
  private final String name;
  private final LongAdder value = new LongAdder();

  Counter(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void inc() {
    value.increment();
  }

  public void add(long n) {
    value.add(n);
  }

  public long value() {
    return value.sum();
  }
}
