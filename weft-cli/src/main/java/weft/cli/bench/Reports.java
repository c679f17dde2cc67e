package weft.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every {@code weft bench} subcommand does with its markdown report. */
final class Reports {
  private Reports() {}

  /** Prints {@code report} to stdout and, when {@code out} is given, writes it there too (creating parents). */
  static void emit(String command, String report, Path out) throws IOException {
    System.out.print(report);
    if (out == null) {
      return;
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, report);
    System.err.println(command + ": wrote " + out);
  }
}
