package weft.bench.proxy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A proxy under test running as a child process (so its CPU and memory are its own), with its
 * output in a log file. CPU time comes from {@code /proc/<pid>/stat} (utime + stime, in clock
 * ticks of 1/100 s, Linux's USER_HZ) and peak RSS from {@code VmHWM} in {@code /proc/<pid>/status},
 * each summed over the process and its live descendants (nginx's master and worker).
 */
final class ProxyProcess implements AutoCloseable {
  private static final double TICKS_PER_SECOND = 100.0;

  private final String name;
  private final Process process;
  private final Path log;

  private ProxyProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} and waits until {@code port} accepts connections. */
  static ProxyProcess start(String name, List<String> command, Path log, int port, Duration timeout)
      throws IOException, InterruptedException {
    return start(name, command, log, List.of(port), timeout);
  }

  /** Starts {@code command} and waits until each of {@code ports} accepts connections. */
  static ProxyProcess start(String name, List<String> command, Path log, List<Integer> ports, Duration timeout)
      throws IOException, InterruptedException {
    return spawn(name, command, log).awaitListening(ports, timeout);
  }

  /** Starts {@code command} without waiting: to start several slow processes at once. */
  static ProxyProcess spawn(String name, List<String> command, Path log) throws IOException {
    Process p = new ProcessBuilder(new ArrayList<>(command))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new ProxyProcess(name, p, log);
  }

  /** This process once each of {@code ports} accepts connections; stopped and IOException when it does not. */
  ProxyProcess awaitListening(List<Integer> ports, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int port : ports) {
      awaitListening(port, deadline, timeout);
    }
    return this;
  }

  private void awaitListening(int port, long deadline, Duration timeout) throws IOException, InterruptedException {
    Process p = process;
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(name + " exited with status " + p.exitValue() + " before listening: " + tail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          close();
          throw new IOException(name + " did not listen on port " + port + " within " + timeout + ": " + tail());
        }
        Thread.sleep(50);
      }
    }
  }

  String name() {
    return name;
  }

  long pid() {
    return process.pid();
  }

  /** User + system CPU seconds consumed so far by the process tree, or NaN when /proc cannot be read. */
  double cpuSeconds() {
    double sum = 0;
    for (long pid : pids()) {
      sum += cpuSeconds(pid);
    }
    return sum;
  }

  /** Peak resident set size in MiB (VmHWM) summed over the process tree, or NaN when /proc cannot be read. */
  double peakRssMiB() {
    double sum = 0;
    for (long pid : pids()) {
      sum += peakRssMiB(pid);
    }
    return sum;
  }

  /** CPU seconds of all of {@code procs}; NaN for none (the direct path has no proxy). */
  static double cpuSeconds(List<ProxyProcess> procs) {
    if (procs.isEmpty()) {
      return Double.NaN;
    }
    double sum = 0;
    for (ProxyProcess p : procs) {
      sum += p.cpuSeconds();
    }
    return sum;
  }

  private List<Long> pids() {
    List<Long> pids = new ArrayList<>();
    pids.add(process.pid());
    process.descendants().forEach(h -> pids.add(h.pid()));
    return pids;
  }

  private static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // fields after the parenthesised command (which may contain spaces): state is field 3
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  private static double peakRssMiB(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).trim().split("\\s+")[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
    return Double.NaN;
  }

  private String tail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }

  /** Stops the process (SIGTERM, then SIGKILL after 10 s) and any descendant it left behind. */
  @Override
  public void close() {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
