package weft.bench.controlplane;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import weft.bench.Host;

/**
 * {@code weft bench controlplane}: a real control plane (config dir, store, translator, xDS server)
 * and simulated sidecars on ADS in one JVM; for each (proxies, services) cell, the initial sync,
 * the full translation, the heap, and the time from a file change on disk (a policy edit, an added
 * endpoint) to every affected proxy's ACK.
 */
public final class ControlPlaneBench {
  private ControlPlaneBench() {}

  /** Runs every cell and returns the markdown report. */
  public static String run(ControlPlaneBenchSettings settings, PrintWriter progress)
      throws IOException, InterruptedException {
    String loadBefore = Host.loadAverage();
    long started = System.nanoTime();
    List<CellResult> cells = cells(settings, progress);
    return Report.markdown(settings, cells, loadBefore, Host.loadAverage(), (System.nanoTime() - started) / 1e9);
  }

  static List<CellResult> cells(ControlPlaneBenchSettings settings, PrintWriter progress)
      throws IOException, InterruptedException {
    List<CellResult> cells = new ArrayList<>();
    if (settings.warmUp()) {
      progress.println("weft bench controlplane: warm-up (5 proxies x 20 services, not reported)");
      new CellRun(new MeshFiles(5, 20, settings.sidecarScope()), 1, settings.timeout(), settings.mtls(), progress).run();
    }
    for (int proxies : settings.proxies()) {
      for (int services : settings.services()) {
        progress.printf("weft bench controlplane: %d proxies x %d services, %d rounds%n", proxies, services,
            settings.rounds());
        cells.add(new CellRun(new MeshFiles(proxies, services, settings.sidecarScope()), settings.rounds(), settings.timeout(), settings.mtls(),
            progress).run());
      }
    }
    return cells;
  }
}
