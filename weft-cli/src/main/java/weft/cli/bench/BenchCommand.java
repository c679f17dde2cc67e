package weft.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft bench}: benchmark harnesses; each lives in its own subcommand. */
@Command(
    name = "bench",
    description = "Measure weft on this machine: the proxy against no proxy (and HAProxy/nginx when installed), "
        + "the control plane with simulated sidecars.",
    subcommands = {BenchProxyCommand.class, BenchControlPlaneCommand.class},
    footer = {"", "Examples:", "  weft bench proxy --duration 20s --out bench/results/local.md",
        "  weft bench controlplane --proxies 100 --services 1000 --rounds 3"})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
