package weft.proxy.observe;

import java.util.concurrent.atomic.LongAdder;

/** A value that goes up and down, e.g. {@code cluster.backend.upstream_cx_active}. Lock-free. */
public final class Gauge {
  private final String name;
  private final LongAdder value = new LongAdder();

  Gauge(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void inc() {
    value.increment();
  }

  public void dec() {
    value.decrement();
  }

  public void add(long n) {
    value.add(n);
  }

  /** Sets the value; only for gauges written by a single owner (e.g. a periodic task). */
  public void set(long n) {
    value.reset();
    value.add(n);
  }

  public long value() {
    return value.sum();
  }
}
