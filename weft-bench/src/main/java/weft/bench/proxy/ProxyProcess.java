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
 * ticks of 1/100 s, Linux's USER_HZ) and peak RSS from {@code VmHWM} in {@code /proc/<pid>/status}.
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
    Process p = new ProcessBuilder(new ArrayList<>(command))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    ProxyProcess proxy = new ProxyProcess(name, p, log);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!p.isAlive()) {
        throw new IOException(name + " exited with status " + p.exitValue() + " before listening: " + proxy.tail());
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return proxy;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          proxy.close();
          throw new IOException(name + " did not listen on port " + port + " within " + timeout + ": " + proxy.tail());
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

  /** User + system CPU seconds consumed so far, or NaN when /proc cannot be read. */
  double cpuSeconds() {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      // fields after the parenthesised command (which may contain spaces): state is field 3
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long utime = Long.parseLong(f[11]);
      long stime = Long.parseLong(f[12]);
      return (utime + stime) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** Peak resident set size in MiB (VmHWM), or NaN when /proc cannot be read. */
  double peakRssMiB() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
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

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
