package weft.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The per-loop deadline wheel behind the route, per-try, idle and pool timeouts: a deadline fires
 * once, never before its delay, and never after it was cancelled or re-armed; deadlines further
 * away than one turn of the wheel wait for later turns.
 */
@Timeout(20)
class DeadlineWheelTest {
  private final EventLoop loop = new DefaultEventLoop();

  @AfterEach
  void stop() {
    loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private <T> T onLoop(Callable<T> c) throws Exception {
    return loop.submit(c).get(5, TimeUnit.SECONDS);
  }

  @Test
  void firesOnceAndNeverBeforeItsDelay() throws Exception {
    AtomicLong firedAt = new AtomicLong();
    List<Long> fired = new CopyOnWriteArrayList<>();
    long armedAt = onLoop(() -> {
      Deadline d = new Deadline(() -> {
        firedAt.set(System.nanoTime());
        fired.add(1L);
      });
      long t = System.nanoTime();
      d.arm(loop, TimeUnit.MILLISECONDS.toNanos(120));
      return t;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
    assertThat(firedAt.get() - armedAt).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(120));
    // off the wheel once fired: it cannot fire again
    assertThat(onLoop(() -> DeadlineWheel.of(loop).armedCount())).isZero();
    assertThat(fired).hasSize(1);
  }

  @Test
  void aCancelledDeadlineNeverFiresAndAnIdleWheelHoldsNothing() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    onLoop(() -> {
      Deadline cancelled = new Deadline(() -> fired.add("cancelled"));
      cancelled.arm(loop, TimeUnit.MILLISECONDS.toNanos(30));
      cancelled.cancel();
      new Deadline(() -> fired.add("marker")).arm(loop, TimeUnit.MILLISECONDS.toNanos(80));
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("marker"));
    assertThat(fired).containsExactly("marker");
    assertThat(onLoop(() -> DeadlineWheel.of(loop).armedCount())).isZero();
  }

  @Test
  void reArmingMovesTheDeadlineInsteadOfAddingASecondOne() throws Exception {
    List<Long> fired = new CopyOnWriteArrayList<>();
    long start = onLoop(() -> {
      Deadline d = new Deadline(() -> fired.add(System.nanoTime()));
      d.arm(loop, TimeUnit.MILLISECONDS.toNanos(20));
      d.arm(loop, TimeUnit.MILLISECONDS.toNanos(150));
      return System.nanoTime();
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> !fired.isEmpty());
    assertThat(fired).hasSize(1);
    assertThat(fired.get(0) - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(140));
  }

  @Test
  void aCallbackCancellingAnotherDeadlineDueInTheSameTickStopsIt() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    onLoop(() -> {
      DeadlineWheel w = DeadlineWheel.of(loop);
      Deadline[] second = new Deadline[1];
      // both land in the same 10 ms bucket; whichever fires first cancels the other
      Deadline first = new Deadline(() -> {
        fired.add("one");
        second[0].cancel();
      });
      second[0] = new Deadline(() -> {
        fired.add("two");
        first.cancel();
      });
      first.arm(w, TimeUnit.MILLISECONDS.toNanos(50));
      second[0].arm(w, TimeUnit.MILLISECONDS.toNanos(50));
      new Deadline(() -> fired.add("marker")).arm(w, TimeUnit.MILLISECONDS.toNanos(150));
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("marker"));
    assertThat(fired).hasSize(2).contains("marker");
  }

  @Test
  void deadlinesBeyondOneTurnWaitForTheirTurn() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    AtomicLong farAt = new AtomicLong();
    // a small wheel: 8 buckets of 10 ms, one turn is 80 ms
    DeadlineWheel w = onLoop(() -> new DeadlineWheel(loop, TimeUnit.MILLISECONDS.toNanos(10), 8));
    long start = onLoop(() -> {
      new Deadline(() -> fired.add("near")).arm(w, TimeUnit.MILLISECONDS.toNanos(30));
      new Deadline(() -> {
        farAt.set(System.nanoTime());
        fired.add("far");
      }).arm(w, TimeUnit.MILLISECONDS.toNanos(250));
      return System.nanoTime();
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("far"));
    assertThat(farAt.get() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(240));
    assertThat(fired).containsExactly("near", "far");
    assertThat(onLoop(w::armedCount)).isZero();
  }

  @Test
  void aWheelHoldingOnlyALaterDeadlineWakesForItsBucketNotEveryTick() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    // 64 buckets of 10 ms: the deadline 300 ms away is 30 ticks ahead, visited by one wake-up
    DeadlineWheel w = onLoop(() -> new DeadlineWheel(loop, TimeUnit.MILLISECONDS.toNanos(10), 64));
    onLoop(() -> {
      new Deadline(() -> fired.add("late")).arm(w, TimeUnit.MILLISECONDS.toNanos(300));
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("late"));
    assertThat(onLoop(w::ticks)).isLessThanOrEqualTo(2);
  }

  @Test
  void aThrowingCallbackDoesNotStopLaterDeadlines() throws Exception {
    List<String> fired = new CopyOnWriteArrayList<>();
    onLoop(() -> {
      new Deadline(() -> {
        throw new IllegalStateException("owner bug");
      }).arm(loop, TimeUnit.MILLISECONDS.toNanos(20));
      new Deadline(() -> fired.add("later")).arm(loop, TimeUnit.MILLISECONDS.toNanos(60));
      return null;
    });
    await().atMost(Duration.ofSeconds(5)).until(() -> fired.contains("later"));
  }
}
