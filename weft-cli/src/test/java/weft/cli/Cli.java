package weft.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code weft args...} in this JVM with the command's own stdout and stderr captured. It never swaps
 * System.out/err: other tests' control planes and proxies log there from their threads, and a swapped
 * stream would catch their lines (it did, in CI).
 */
public record Cli(int status, String out, String err) {
  public static Cli run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Cli(status, out.toString(), err.toString());
  }
}
