package weft.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the {@code weft} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line on the process's stdout and stderr and returns its exit code. */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /**
   * Runs the command line with its own output writers; tests call this so that what they capture is the
   * command's output alone, never log lines other threads of the same JVM print to System.err meanwhile.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new WeftCommand()).setOut(out).setErr(err);
    withHelp(cli);
    return cli
        .setCaseInsensitiveEnumValuesAllowed(true)
        // descriptions are written as ~100-column lines; at picocli's default 80 they wrap mid-sentence
        .setUsageHelpWidth(120)
        .setUsageHelpAutoWidth(true)
        .execute(args);
  }

  /** Every subcommand answers {@code -h/--help}, whether or not its class asked for the mixin. */
  private static void withHelp(CommandLine cli) {
    if (!cli.getCommandSpec().mixinStandardHelpOptions()) {
      cli.getCommandSpec().mixinStandardHelpOptions(true);
    }
    cli.getSubcommands().values().forEach(Main::withHelp);
  }
}
