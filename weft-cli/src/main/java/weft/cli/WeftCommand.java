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
      weft.cli.controlplane.ControlPlaneCommand.class,
      weft.cli.controlplane.ApplyCommand.Apply.class,
      weft.cli.controlplane.ApplyCommand.Delete.class,
      weft.cli.controlplane.GetCommand.class,
      weft.cli.controlplane.DescribeCommand.class,
      weft.cli.controlplane.TokenCommand.class,
      weft.cli.demo.DemoCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  weft proxy -c bootstrap.yaml            run the proxy from an Envoy v3 bootstrap",
      "  weft controlplane --config-dir mesh/    run the control plane",
      "  weft apply -f policy.yaml               add resources through the control plane's API",
      "  weft get workloads                      list workloads (also services, policies, proxies, status)",
      "  weft describe workload default/tweet    identity, policies, proxy and certificate of a workload",
      "  weft version                            print the version"
    })
public final class WeftCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
