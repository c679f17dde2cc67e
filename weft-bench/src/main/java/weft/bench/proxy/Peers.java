package weft.bench.proxy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The peers and tools the issue compares against when installed. The harness installs nothing;
 * what is missing is named in the report with the reason.
 */
final class Peers {
  private Peers() {}

  static boolean installed(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String dir : path.split(File.pathSeparator)) {
      Path p = Path.of(dir, executable);
      if (Files.isExecutable(p)) {
        return true;
      }
    }
    return false;
  }

  /** One line per peer or tool not used, with why. */
  static List<String> skipped() {
    List<String> out = new ArrayList<>();
    if (!installed("nginx")) {
      out.add("nginx (backend and 1-worker one-hop peer): not installed (Debian package nginx-light or nginx); "
          + "the built-in Netty backend serves instead");
    } else {
      out.add("nginx: installed, but this harness does not yet drive it; the built-in Netty backend serves instead");
    }
    if (!installed("haproxy")) {
      out.add("haproxy (nbthread 1 one-hop peer): not installed (Debian package haproxy)");
    } else {
      out.add("haproxy: installed, but this harness does not yet drive it");
    }
    if (!installed("wrk") && !installed("h2load")) {
      out.add("wrk/h2load: not installed (Debian packages wrk, nghttp2-client); the built-in Netty closed-loop "
          + "generator measures max throughput instead");
    } else {
      out.add("wrk/h2load: installed, but the built-in Netty closed-loop generator is used so every path shares one generator");
    }
    return out;
  }

  static String markdown(List<String> skipped) {
    StringBuilder sb = new StringBuilder("## Peers and tools not used\n\n");
    for (String s : skipped) {
      sb.append("- ").append(s).append('\n');
    }
    return sb.append('\n').toString();
  }
}
