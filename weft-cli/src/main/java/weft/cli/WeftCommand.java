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
      weft.cli.bench.BenchCommand.class,
      weft.cli.controlplane.ApplyCommand.Apply.class,
      weft.cli.controlplane.ApplyCommand.Delete.class,
      weft.cli.controlplane.ControlPlaneCommand.class,
      weft.cli.controlplane.DescribeCommand.class,
      weft.cli.controlplane.FlowsCommand.class,
      weft.cli.controlplane.GetCommand.class,
      weft.cli.controlplane.TokenCommand.class,
      weft.cli.demo.DemoCommand.class,
      weft.cli.policy.PolicyCommand.class,
      VersionCommand.class,
    },
    footer = {
      "",
      "Examples:",
      "  weft proxy -c examples/front-proxy/envoy.yaml      run the proxy from an Envoy v3 bootstrap",
      "  weft policy trace -f examples/policies/resources --from default/tweet \\",
      "      --to default/jobs-api --port 80 --http-method GET --http-path /jobs/331",
      "  weft controlplane --config-dir examples/policies/resources",
      "  weft get workloads                                 ask a running control plane",
      "  weft flows --follow --verdict denied               watch what policy denies",
      "  weft bench proxy --out r.md                        measure weft hops against the direct path",
      "  weft version                                       print the version"
    })
public final class WeftCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
