package weft.cli.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** What every {@code weft bench} subcommand does with its markdown report. */
final class Reports {
  private Reports() {}

  /** Prints {@code report} to {@code stdout} and, when {@code out} is given, writes it there too (creating parents). */
  static void emit(String command, String report, Path out, PrintWriter stdout, PrintWriter stderr) throws IOException {
    stdout.print(report);
    stdout.flush();
    if (out == null) {
      return;
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(out, report);
    stderr.println(command + ": wrote " + out);
  }
}
