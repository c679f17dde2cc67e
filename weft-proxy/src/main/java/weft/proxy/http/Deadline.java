package weft.proxy.http;

import io.netty.channel.EventLoop;

/**
 * A reusable timeout owned by one stream, attempt or connection: armed, re-armed and cancelled on
 * its event loop without allocating, by linking it into the loop's {@link DeadlineWheel}. Used
 * for the per-request timeouts (route timeout, per-try timeout, stream idle timeout, request
 * timeout, pool idle timeout) that are armed and cancelled on nearly every request: a Netty
 * scheduled task each time cost an allocation plus priority-queue work on both arm and cancel.
 *
 * <p>Fires no earlier than its delay and at most one wheel tick ({@value DeadlineWheel#TICK_MILLIS}
 * ms) plus event-loop latency later. Not thread-safe: every method runs on the owner's loop.
 */
public final class Deadline {
  private final Runnable onExpiry;
  long due;
  Deadline prev;
  Deadline next;
  int bucket;
  /** The wheel holding this deadline while armed; null when idle. */
  DeadlineWheel wheel;
  /** Taken off the wheel to fire this tick; a cancel() before its turn stops it. */
  boolean firing;

  public Deadline(Runnable onExpiry) {
    this.onExpiry = onExpiry;
  }

  /** Arms (or re-arms) to fire {@code delayNanos} from now; {@code loop} must be the caller's. */
  public void arm(EventLoop loop, long delayNanos) {
    arm(DeadlineWheel.of(loop), delayNanos);
  }

  void arm(DeadlineWheel w, long delayNanos) {
    cancel();
    due = System.nanoTime() + Math.max(0, delayNanos);
    w.add(this);
  }

  /** Disarms; a no-op when not armed. */
  public void cancel() {
    firing = false;
    if (wheel != null) {
      wheel.remove(this);
    }
  }

  public boolean isArmed() {
    return wheel != null || firing;
  }

  void fire() {
    onExpiry.run();
  }
}
