package weft.cli;

import picocli.CommandLine;

/** Entry point of the {@code weft} command. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code; tests call this instead of main. */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new WeftCommand());
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
