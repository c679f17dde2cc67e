package weft.bench.controlplane;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * CPU time of the process and of the simulated proxies' own threads, so the control plane's share
 * (the process minus the proxies) can be told apart in one JVM. The proxies' threads are the
 * client event loop threads, named {@value #PROXY_THREADS}*, on which they decode and ACK.
 */
final class CpuTime {
  static final String PROXY_THREADS = "bench-sidecars-";
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** A reading: process and proxy-thread CPU nanoseconds. */
  record Reading(long process, long proxies) {
    Reading minus(Reading earlier) {
      return new Reading(process - earlier.process, proxies - earlier.proxies);
    }

    /** The process minus the simulated proxies: the control plane (and the harness's idle polling). */
    long controlPlane() {
      return process - proxies;
    }
  }

  private CpuTime() {}

  static Reading now() {
    long proxies = 0;
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().startsWith(PROXY_THREADS)) {
        long n = THREADS.getThreadCpuTime(t.threadId());
        proxies += Math.max(0, n);
      }
    }
    long process = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
        ? os.getProcessCpuTime() : -1;
    return new Reading(process, proxies);
  }

  /** The calling thread's CPU time, nanoseconds. */
  static long currentThread() {
    return THREADS.getCurrentThreadCpuTime();
  }
}
