package weft.proxy.observe;

import java.util.concurrent.atomic.LongAdder;

/** A value that goes up and down, e.g. {@code cluster.backend.upstream_cx_active}. Lock-free. */
public final class Gauge {
  private final String name;
  private final LongAdder value = new LongAdder();
  // Envoy's "used" flag for ?usedonly: set by any write. Plain (not volatile) on purpose: a
  // reader that sees it late only delays when the gauge first shows up in /stats?usedonly.
  private boolean used;

  Gauge(String name) {
    this.name = name;
  }

  public String name() {
    return name;
  }

  public void inc() {
    markUsed();
    value.increment();
  }

  public void dec() {
    markUsed();
    value.decrement();
  }

  public void add(long n) {
    markUsed();
    value.add(n);
  }

  /** Sets the value; only for gauges written by a single owner (e.g. a periodic task). */
  public void set(long n) {
    markUsed();
    value.reset();
    value.add(n);
  }

  // Read before writing so that hot gauges do not bounce this cache line between cores.
  private void markUsed() {
    if (!used) {
      used = true;
    }
  }

  /** Whether anything ever wrote this gauge (Envoy's {@code used()}), for {@code ?usedonly}. */
  public boolean used() {
    return used;
  }

  public long value() {
    return value.sum();
  }
}
