package weft.proxy.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A hashed timing wheel per event loop holding {@link Deadline}s in intrusive lists: arming and
 * cancelling are O(1) link operations with no allocation. While anything is armed, one Netty task
 * per tick visits the buckets whose time has come; deadlines more than a turn away stay in their
 * bucket until a later turn. Idle (nothing armed), it schedules nothing. Confined to its loop.
 */
final class DeadlineWheel {
  static final long TICK_MILLIS = 10;
  private static final long DEFAULT_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
  /** 512 ticks of 10 ms: a turn covers 5.12 s, so 15 s route timeouts wait about three turns. */
  private static final int DEFAULT_BUCKETS = 512;
  private static final FastThreadLocal<DeadlineWheel> WHEELS = new FastThreadLocal<>();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DeadlineWheel.class);

  private final EventLoop loop;
  private final long tickNanos;
  private final Deadline[] buckets;
  private final int mask;
  private final ArrayList<Deadline> expired = new ArrayList<>();
  private final Runnable tickTask = this::tick;
  private long nextTick;
  private int armed;
  private boolean ticking;

  DeadlineWheel(EventLoop loop, long tickNanos, int buckets) {
    if (Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets: " + buckets + " (expected: a power of two)");
    }
    this.loop = loop;
    this.tickNanos = tickNanos;
    this.buckets = new Deadline[buckets];
    this.mask = buckets - 1;
  }

  /** The calling loop's wheel, made on first use. */
  static DeadlineWheel of(EventLoop loop) {
    assert loop.inEventLoop() : "deadlines are armed on their own event loop";
    DeadlineWheel w = WHEELS.get();
    if (w == null || w.loop != loop) {
      w = new DeadlineWheel(loop, DEFAULT_TICK_NANOS, DEFAULT_BUCKETS);
      WHEELS.set(w);
    }
    return w;
  }

  int armedCount() {
    return armed;
  }

  void add(Deadline d) {
    long now = System.nanoTime();
    if (armed == 0 && !ticking) {
      nextTick = now / tickNanos;
    }
    // the first tick at or after the due time; never an already-visited one
    long t = Math.max(nextTick, ceilDiv(d.due, tickNanos));
    int b = (int) (t & mask);
    d.wheel = this;
    d.bucket = b;
    d.prev = null;
    d.next = buckets[b];
    if (d.next != null) {
      d.next.prev = d;
    }
    buckets[b] = d;
    armed++;
    if (!ticking) {
      ticking = true;
      loop.schedule(tickTask, Math.max(0, nextTick * tickNanos + tickNanos - now), TimeUnit.NANOSECONDS);
    }
  }

  void remove(Deadline d) {
    if (d.prev != null) {
      d.prev.next = d.next;
    } else {
      buckets[d.bucket] = d.next;
    }
    if (d.next != null) {
      d.next.prev = d.prev;
    }
    d.prev = null;
    d.next = null;
    d.wheel = null;
    armed--;
  }

  private void tick() {
    long now = System.nanoTime();
    long target = now / tickNanos;
    // visit each bucket whose tick has passed (at most one full turn after a stall)
    long last = Math.min(target, nextTick + buckets.length - 1);
    for (long t = nextTick; t <= last; t++) {
      int b = (int) (t & mask);
      Deadline d = buckets[b];
      while (d != null) {
        Deadline following = d.next;
        if (d.due <= now) {
          remove(d);
          d.firing = true;
          expired.add(d);
        }
        d = following;
      }
    }
    nextTick = target + 1;
    for (int i = 0; i < expired.size(); i++) {
      Deadline d = expired.get(i);
      // an earlier callback this tick may have cancelled or re-armed it
      if (d.firing) {
        d.firing = false;
        try {
          d.fire();
        } catch (RuntimeException e) {
          // one failing owner must not stop the wheel for every other stream on this loop
          LOG.warn("timeout callback failed", e);
        }
      }
    }
    expired.clear();
    if (armed > 0) {
      loop.schedule(tickTask, Math.max(0, nextTick * tickNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
    } else {
      ticking = false;
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
