package weft.bench.proxy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The peers and tools the issue compares against, and whether this run uses each: used when
 * installed (found on PATH or in /usr/sbin and the like) unless the run leaves peers out. The harness installs nothing; the
 * report names what it did not use, why, and what measured in its place.
 */
record Peers(boolean nginx, boolean haproxy, boolean wrk, boolean h2load, boolean leftOut) {
  /** What is installed, or nothing when {@code use} is false ({@code --peers none}). */
  static Peers detect(boolean use) {
    if (!use) {
      return new Peers(false, false, false, false, true);
    }
    return new Peers(installed("nginx"), installed("haproxy"), installed("wrk"), installed("h2load"), false);
  }

  /** Where nginx and HAProxy live on Debian: off a regular user's PATH, so looked at too. */
  private static final List<String> SBIN = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");

  static boolean installed(String executable) {
    return find(executable).isPresent();
  }

  /** The executable's absolute path when it is found on PATH or in an sbin directory, else its bare name. */
  static String executable(String name) {
    return find(name).map(Path::toString).orElse(name);
  }

  private static Optional<Path> find(String executable) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(SBIN);
    for (String dir : dirs) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
        return Optional.of(Path.of(dir, executable).toAbsolutePath());
      }
    }
    return Optional.empty();
  }

  /** One line per peer or tool not used: what it was for, why not, what happens instead. */
  List<String> skipped() {
    List<String> out = new ArrayList<>();
    if (!nginx) {
      out.add("nginx (backend, and the 1-worker one-hop peer): " + why("nginx-light or nginx")
          + "; the built-in Netty backend serves instead and there is no nginx row");
    }
    if (!haproxy) {
      out.add("haproxy (the nbthread 1 one-hop peer): " + why("haproxy") + "; no HAProxy row and no weft/HAProxy ratios");
    }
    if (!wrk) {
      out.add("wrk (HTTP/1.1 closed-loop max throughput): " + why("wrk")
          + "; the built-in Netty closed-loop generator measures it instead");
    }
    if (!h2load) {
      out.add("h2load (h2c closed-loop max throughput): " + why("nghttp2-client") + "; no h2c max-throughput table");
    }
    return out;
  }

  private String why(String debianPackage) {
    return leftOut ? "left out (--peers none)" : "not installed (Debian package " + debianPackage + ")";
  }

  String markdown() {
    List<String> skipped = skipped();
    if (skipped.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("## Peers and tools not used\n\n");
    for (String s : skipped) {
      sb.append("- ").append(s).append('\n');
    }
    return sb.append('\n').toString();
  }
}
