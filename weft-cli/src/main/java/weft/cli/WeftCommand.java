package weft.cli;

import picocli.CommandLine.Command;

/**
 * The root command. Each subcommand lives in its own class beside the code it drives; register it
 * here in {@code subcommands}.
 */
@Command(
    name = "weft",
    mixinStandardHelpOptions = true,
    versionProvider = VersionCommand.Provider.class,
    description = "weft: identity-aware service mesh: proxy, policy, control plane.",
    subcommands = {
      ProxyCommand.class,
      weft.cli.policy.PolicyCommand.class,
      VersionCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  weft proxy -c bootstrap.yaml            run the proxy from an Envoy v3 bootstrap",
      "  weft version                            print the version"
    })
public final class WeftCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
