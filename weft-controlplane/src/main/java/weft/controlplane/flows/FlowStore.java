package weft.controlplane.flows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The control plane's flow records: a ring buffer of the newest {@code capacity} records, and live
 * subscribers ({@code weft flows --follow}), each with its own bounded queue. Ingestion never
 * waits for a subscriber: a follower too slow to keep up loses records, and both it and the store
 * count them.
 *
 * <p>Thread-safety: every method may be called from any thread. {@link #add} holds the store's
 * lock only to write one slot and offer to the subscribers' queues (which never blocks), so that a
 * {@linkplain #subscribe subscription} sees history and live records without gap or duplicate.
 */
public final class FlowStore {
  public static final int DEFAULT_SUBSCRIBER_QUEUE = 1_024;

  private final FlowRecord[] ring;
  private final Object lock = new Object();
  private final List<Subscription> subscribers = new CopyOnWriteArrayList<>();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong ignored = new AtomicLong();
  // guarded by lock
  private long added;

  public FlowStore(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("flow buffer capacity: " + capacity + " (expected: >= 1)");
    }
    this.ring = new FlowRecord[capacity];
  }

  public int capacity() {
    return ring.length;
  }

  /** Keeps {@code r}, evicting the oldest record when full, and hands it to every matching subscriber. */
  public void add(FlowRecord r) {
    synchronized (lock) {
      ring[(int) (added % ring.length)] = r;
      added++;
      for (Subscription s : subscribers) {
        s.offer(r);
      }
    }
  }

  /** Counts an access log entry received but not kept as a flow (e.g. a listener log of an allowed connection). */
  void ignore() {
    ignored.incrementAndGet();
  }

  /** The newest {@code limit} records {@code filter} accepts (by arrival), in time order. */
  public List<FlowRecord> query(Predicate<FlowRecord> filter, int limit) {
    synchronized (lock) {
      return history(filter, limit);
    }
  }

  /** Holds lock. */
  private List<FlowRecord> history(Predicate<FlowRecord> filter, int limit) {
    List<FlowRecord> newestFirst = new ArrayList<>();
    long oldest = Math.max(0, added - ring.length);
    for (long i = added - 1; i >= oldest && newestFirst.size() < limit; i--) {
      FlowRecord r = ring[(int) (i % ring.length)];
      if (filter.test(r)) {
        newestFirst.add(r);
      }
    }
    // arrival order is per proxy flush, not time order: sources and destinations report apart
    List<FlowRecord> byTime = new ArrayList<>(newestFirst.reversed());
    byTime.sort(java.util.Comparator.comparing(FlowRecord::time));
    return byTime;
  }

  /**
   * Follows the store: the subscription first holds the newest {@code limit} matching records of
   * the history, then every new matching record, in order, until closed. At most {@code queueSize}
   * records wait; more are dropped and counted.
   */
  public Subscription subscribe(Predicate<FlowRecord> filter, int limit, int queueSize) {
    synchronized (lock) {
      List<FlowRecord> history = history(filter, limit);
      Subscription s = new Subscription(filter, Math.max(queueSize, history.size()));
      history.forEach(s::offer);
      subscribers.add(s);
      return s;
    }
  }

  /** What the store has seen, for the status API. */
  public Stats stats() {
    long total;
    synchronized (lock) {
      total = added;
    }
    return new Stats(total, Math.min(total, ring.length), ring.length, Math.max(0, total - ring.length),
        dropped.get(), ignored.get(), subscribers.size());
  }

  /**
   * @param received records kept since start
   * @param buffered records in the ring now
   * @param evicted records overwritten by newer ones
   * @param dropped records a slow follower lost (summed over followers)
   * @param ignored access log entries that made no record
   * @param followers live subscriptions
   */
  public record Stats(long received, long buffered, int capacity, long evicted, long dropped, long ignored, int followers) {}

  /** One follower's view: a bounded queue of records. Close it when the follower goes. */
  public final class Subscription implements AutoCloseable {
    private final Predicate<FlowRecord> filter;
    private final BlockingQueue<FlowRecord> queue;
    private final AtomicLong lost = new AtomicLong();
    private volatile boolean closed;

    private Subscription(Predicate<FlowRecord> filter, int queueSize) {
      this.filter = filter;
      this.queue = new ArrayBlockingQueue<>(Math.max(1, queueSize));
    }

    /** Called with the store's lock held: must never block. */
    private void offer(FlowRecord r) {
      if (!closed && filter.test(r) && !queue.offer(r)) {
        lost.incrementAndGet();
        dropped.incrementAndGet();
      }
    }

    /** The next record, or null after {@code timeout} without one (or when closed). */
    public FlowRecord poll(Duration timeout) throws InterruptedException {
      if (closed) {
        return null;
      }
      return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Records this follower lost because its queue was full. */
    public long dropped() {
      return lost.get();
    }

    public boolean closed() {
      return closed;
    }

    @Override
    public void close() {
      closed = true;
      subscribers.remove(this);
    }
  }
}
