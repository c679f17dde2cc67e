package weft.proxy.observe;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes access log lines off the event loops: callers enqueue without blocking or locking, one
 * daemon thread drains the bounded queue and writes. When the queue is full the line is dropped and
 * counted ({@code access_logs.logs_dropped}) rather than stalling an event loop, unlike Envoy,
 * which buffers without bound. Lines written: {@code access_logs.logs_written}; I/O errors: {@code
 * access_logs.write_failed}.
 *
 * <p>One writer per process, created with the stats store; destinations are opened once by path and
 * kept across config reloads, so a reload neither leaks nor reopens files.
 */
public final class AccessLogWriter implements AutoCloseable {
  /** Where lines go: a file, stdout or stderr. Written only by the writer thread. */
  public static final class Destination {
    private final String name;
    private final String path; // null for stdout/stderr, which are never reopened
    private OutputStream out;
    private boolean dirty;

    private Destination(String name, String path, OutputStream out) {
      this.name = name;
      this.path = path;
      this.out = buffered(out);
    }

    private static OutputStream buffered(OutputStream out) {
      return new BufferedOutputStream(out, 64 * 1024);
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private record Entry(Destination destination, String line) {}

  /** Stands in for a file that could not be reopened: every write fails and is counted. */
  private static final OutputStream FAILED =
      new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          throw new IOException("access log file could not be reopened");
        }
      };

  private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final int capacity;
  private final Counter written;
  private final Counter dropped;
  private final Counter failed;
  private final Counter reopenFailed;
  private final ConcurrentHashMap<String, Destination> files = new ConcurrentHashMap<>();
  private final Destination stdout =
      new Destination("stdout", null, new FileOutputStream(FileDescriptor.out));
  private final Destination stderr =
      new Destination("stderr", null, new FileOutputStream(FileDescriptor.err));
  private final Thread thread;
  private volatile boolean waiting;
  private volatile boolean reopenRequested;
  private volatile boolean closed;

  /** Starts the writer thread; {@code capacity} bounds the lines waiting to be written. */
  public AccessLogWriter(StatsStore stats, int capacity) {
    this(stats, capacity, true);
  }

  /** Tests hold the writer thread back to fill the queue deterministically. */
  AccessLogWriter(StatsStore stats, int capacity, boolean start) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
    }
    this.capacity = capacity;
    this.written = stats.counter("access_logs.logs_written");
    this.dropped = stats.counter("access_logs.logs_dropped");
    this.failed = stats.counter("access_logs.write_failed");
    this.reopenFailed = stats.counter("access_logs.reopen_failed");
    this.thread = Thread.ofPlatform().daemon().name("weft-access-log").unstarted(this::run);
    if (start) {
      thread.start();
    }
  }

  void start() {
    thread.start();
  }

  /**
   * The destination for a file path, opened for append on first use (at config compile time, never
   * on an event loop).
   *
   * @throws IOException when the file cannot be opened; the message names the path
   */
  public Destination file(String path) throws IOException {
    try {
      return files.computeIfAbsent(
          path,
          p -> {
            try {
              return new Destination(p, p, new FileOutputStream(p, true));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  public Destination stdout() {
    return stdout;
  }

  public Destination stderr() {
    return stderr;
  }

  /**
   * Asks the writer thread to close and reopen every file (Envoy's {@code POST /reopen_logs}), e.g.
   * after logrotate moved them. Lines queued before the call may land in the old file. A file that
   * cannot be reopened counts {@code access_logs.reopen_failed} and its lines count as write
   * failures until a later reopen succeeds.
   */
  public void reopenFiles() {
    reopenRequested = true;
    LockSupport.unpark(thread);
  }

  /** Enqueues a line; never blocks. Returns false (and counts a drop) when the queue is full. */
  public boolean offer(Destination destination, String line) {
    if (closed || queued.incrementAndGet() > capacity) {
      queued.decrementAndGet();
      dropped.inc();
      return false;
    }
    queue.offer(new Entry(destination, line));
    if (waiting) {
      LockSupport.unpark(thread);
    }
    return true;
  }

  private void run() {
    java.util.List<Destination> touched = new java.util.ArrayList<>();
    while (true) {
      if (reopenRequested) {
        reopenRequested = false;
        flush(touched);
        reopen();
      }
      Entry e = queue.poll();
      if (e == null) {
        flush(touched);
        if (closed) {
          return;
        }
        waiting = true;
        if (queue.isEmpty()) {
          // Bounded park: a wake-up lost between isEmpty() and park() costs at most this long.
          LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(50));
        }
        waiting = false;
        continue;
      }
      queued.decrementAndGet();
      try {
        e.destination().out.write(e.line().getBytes(StandardCharsets.UTF_8));
        if (!e.destination().dirty) {
          e.destination().dirty = true;
          touched.add(e.destination());
        }
        written.inc();
      } catch (IOException ex) {
        failed.inc();
      }
    }
  }

  private void reopen() {
    for (Destination d : files.values()) {
      try {
        d.out.close();
      } catch (IOException ex) {
        failed.inc();
      }
      try {
        d.out = Destination.buffered(new FileOutputStream(d.path, true));
      } catch (IOException ex) {
        reopenFailed.inc();
        d.out = FAILED;
      }
    }
  }

  private void flush(java.util.List<Destination> touched) {
    for (Destination d : touched) {
      d.dirty = false;
      try {
        d.out.flush();
      } catch (IOException ex) {
        failed.inc();
      }
    }
    touched.clear();
  }

  /** Writes what is queued, then stops the thread and closes the files. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    LockSupport.unpark(thread);
    thread.join();
    for (Destination d : files.values()) {
      try {
        d.out.close();
      } catch (IOException e) {
        failed.inc();
      }
    }
  }
}
