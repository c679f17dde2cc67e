package weft.bench;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** The machine and JVM the figures come from, for the reports' headers (both harnesses). */
public final class Host {
  private Host() {}

  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The 1-minute load average, NaN where /proc is not there. */
  public static double load1() {
    try {
      return Double.parseDouble(loadAverage().split(" ")[0]);
    } catch (RuntimeException e) {
      return Double.NaN;
    }
  }

  public static String cpuModel() {
    try {
      return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name"))
          .map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** This process's peak resident set (VmHWM), MiB; NaN where /proc is not there. */
  public static double peakRssMib() {
    try {
      for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (l.startsWith("VmHWM:")) {
          return Long.parseLong(l.substring(6).trim().split("\\s+")[0]) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no figure
    }
    return Double.NaN;
  }

  public static String describe() {
    String gcs = ManagementFactory.getGarbageCollectorMXBeans().stream()
        .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(", "));
    return Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), "
        + System.getProperty("os.name") + " " + System.getProperty("os.version") + ", JDK "
        + System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.version") + ", max heap "
        + Runtime.getRuntime().maxMemory() / (1 << 20) + " MiB, GC " + gcs;
  }
}
