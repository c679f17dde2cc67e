package weft.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code weft bench}: benchmark harnesses; each lives in its own subcommand. */
@Command(
    name = "bench",
    description = "Measure weft against no proxy (and HAProxy/nginx when installed) on this machine.",
    subcommands = {BenchProxyCommand.class},
    footer = {"", "Example:", "  weft bench proxy --duration 20s --out bench/results/local.md"})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
