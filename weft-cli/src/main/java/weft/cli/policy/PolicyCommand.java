package weft.cli.policy;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft policy}: trace a flow, run probes, lint policies. */
@Command(
    name = "policy",
    description = "Explain, test and lint Kubernetes, Cilium and Istio network policy.",
    subcommands = {TraceCommand.class, TestCommand.class, LintCommand.class},
    footer = {
      "",
      "Examples:",
      "  weft policy trace -f examples/policies --from default/tweet --to default/jobs-api --port 80 \\",
      "      --http-method GET --http-path /jobs/331",
      "  weft policy test -f examples/policies examples/policies/probes.yaml",
      "  weft policy lint -f examples/policies"
    })
public final class PolicyCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
