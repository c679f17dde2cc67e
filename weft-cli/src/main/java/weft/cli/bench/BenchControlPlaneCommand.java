package weft.cli.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import weft.bench.controlplane.ControlPlaneBench;
import weft.bench.controlplane.ControlPlaneBenchSettings;

/**
 * {@code weft bench controlplane}: runs {@link ControlPlaneBench} in this JVM (a real control plane
 * and simulated sidecars), prints the markdown report and optionally writes it to {@code --out}.
 */
@Command(
    name = "controlplane",
    description = "Time from a config change on disk to every affected proxy's ACK, translation time and heap "
        + "of a real control plane with simulated sidecars (markdown tables).",
    footer = {"", "Example:", "  weft bench controlplane --proxies 100,1000 --services 1000 --rounds 5 --out r.md"})
final class BenchControlPlaneCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--proxies", split = ",", description = "simulated sidecars per run (default: ${DEFAULT-VALUE})",
      defaultValue = "50,200")
  List<Integer> proxies;

  @Option(names = "--services", split = ",", description = "services per run (default: ${DEFAULT-VALUE})",
      defaultValue = "100,1000")
  List<Integer> services;

  @Option(names = "--rounds", description = "policy edits and endpoint additions per run (default: ${DEFAULT-VALUE})",
      defaultValue = "3")
  int rounds;

  @Option(names = "--timeout", converter = BenchProxyCommand.DurationConverter.class,
      description = "longest wait for one step before a run is given up (default: ${DEFAULT-VALUE})", defaultValue = "5m")
  Duration timeout;

  @Option(names = "--sidecar-scope", description = "scope each tier's proxies with an Istio Sidecar importing a tenth "
      + "of the services")
  boolean sidecarScope;

  @Option(names = "--out", description = "also write the report to this markdown file")
  Path out;

  @Option(names = "--plaintext-xds",
      description = "simulated sidecars use the plaintext xDS port over 4 shared connections instead of mTLS, one "
          + "connection and certificate each (to measure what mTLS costs)")
  boolean plaintextXds;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ControlPlaneBenchSettings settings;
    try {
      settings = new ControlPlaneBenchSettings(proxies, services, rounds, timeout, true, !plaintextXds, sidecarScope);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("weft bench controlplane: " + e.getMessage());
      return 2;
    }
    String report = ControlPlaneBench.run(settings, spec.commandLine().getErr());
    Reports.emit("weft bench controlplane", report, out, spec.commandLine().getOut(), spec.commandLine().getErr());
    return report.contains(" stopped**: ") ? 1 : 0;
  }
}
