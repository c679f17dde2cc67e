package weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/** Issue 5: "`weft --help` with examples on every subcommand". */
class HelpTest {
  static Stream<String> commands() {
    List<String> out = new ArrayList<>();
    collect(new CommandLine(new WeftCommand()), "", out);
    return out.stream();
  }

  private static void collect(CommandLine cli, String prefix, List<String> out) {
    cli.getSubcommands().forEach((name, sub) -> {
      if (sub.getCommandSpec().aliases().length > 0 && List.of(sub.getCommandSpec().aliases()).contains(name)) {
        return;
      }
      String path = (prefix + " " + name).trim();
      out.add(path);
      collect(sub, path, out);
    });
  }

  @ParameterizedTest(name = "weft {0} --help")
  @MethodSource("commands")
  void everySubcommandAnswersHelpWithAnExample(String command) {
    List<String> args = new ArrayList<>(List.of(command.split(" ")));
    args.add("--help");
    Cli r = Cli.run(args.toArray(String[]::new));
    String help = r.out();
    assertThat(r.status()).as(help + r.err()).isZero();
    assertThat(help).contains("Usage: weft " + command).containsIgnoringCase("example");
  }
}
