package weft.proxy.http;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A hashed timing wheel per event loop holding {@link Deadline}s in intrusive lists: arming and
 * cancelling are O(1) link operations with no allocation. One Netty task at a time is scheduled,
 * for the next tick whose bucket holds anything: under load that is every tick, while an idle
 * proxy holding only long timeouts (a pooled connection's 1 h idle timeout) wakes about once per
 * turn. Deadlines more than a turn away stay in their bucket until a later turn. Nothing armed,
 * nothing scheduled. Confined to its loop.
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
  /** The first tick not yet visited. */
  private long nextTick;
  private int armed;
  /** The tick the pending task will visit up to; Long.MAX_VALUE when none is pending. */
  private long scheduledTick = Long.MAX_VALUE;
  private ScheduledFuture<?> ticker;
  private long ticks;

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

  /** Wake-ups so far (tests: an idle wheel must not poll every tick). */
  long ticks() {
    return ticks;
  }

  void add(Deadline d) {
    long now = System.nanoTime();
    if (armed == 0 && ticker == null) {
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
    if (t < scheduledTick) {
      scheduleAt(t, now);
    }
  }

  private void scheduleAt(long t, long now) {
    if (ticker != null) {
      ticker.cancel(false);
    }
    scheduledTick = t;
    ticker = loop.schedule(tickTask, Math.max(0, t * tickNanos - now), TimeUnit.NANOSECONDS);
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
    ticks++;
    ticker = null;
    scheduledTick = Long.MAX_VALUE;
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
      // the next bucket holding anything (possibly due only in a later turn)
      for (int i = 0; i < buckets.length; i++) {
        long t = nextTick + i;
        if (buckets[(int) (t & mask)] != null) {
          if (t < scheduledTick) {
            scheduleAt(t, System.nanoTime());
          }
          break;
        }
      }
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
