package weft.bench.controlplane;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import weft.bench.Host;

/** The markdown report: machine, setup, one table for the sync and one per kind of change, notes. */
final class Report {
  static final String SYNC_TITLE = "Initial sync, full translation, heap";
  static final List<String> SYNC_COLUMNS = List.of("proxies", "services", "clusters/proxy", "initial sync s",
      "xDS MiB pushed", "CP CPU s", "sidecars CPU s", "full translation ms", "full translation CPU ms",
      "heap MiB synced", "heap MiB after rounds");
  static final List<String> CHANGE_COLUMNS = List.of("proxies", "services", "affected proxies", "re-translated proxies",
      "write→published ms p50", "per-proxy ACK ms p50", "p99", "max", "all ACKed ms p50", "all ACKed ms max",
      "translate ms p50", "translate CPU ms p50", "xDS KiB/change", "CP CPU s/change", "sidecars CPU s/change");

  private Report() {}

  static String markdown(ControlPlaneBenchSettings s, List<CellResult> cells, String loadBefore, String loadAfter,
      double seconds) {
    StringBuilder sb = new StringBuilder("# weft bench controlplane\n\n")
        .append("- date: ").append(Instant.now()).append('\n')
        .append("- machine: ").append(Host.describe()).append('\n')
        .append("- load average (1/5/15 min): ").append(loadBefore).append(" before, ").append(loadAfter)
        .append(" after. The control plane and every simulated proxy share this one JVM and these cores; other "
            + "work on the machine (a load above the core count) inflates every time below.\n")
        .append("- settings: proxies ").append(s.proxies()).append(", services ").append(s.services())
        .append(", ").append(s.rounds()).append(" round(s) of each change per cell, timeout ")
        .append(s.timeout().toSeconds()).append(" s per step")
        .append(s.sidecarScope() ? "; Sidecar scoping on (`--sidecar-scope`: each tier imports a tenth of the services)" : "")
        .append("; took ").append(fmt(seconds)).append(" s\n")
        .append("- process peak RSS (VmHWM) at the end: ").append(fmt(Host.peakRssMib()))
        .append(" MiB, over every cell; a JVM keeps the heap it grew to, so this follows the largest cell's "
            + "garbage, not its live set (the heap columns)\n\n");
    sb.append(setup(s.mtls()));
    sb.append(syncTable(cells));
    for (int kind = 0; kind < 2; kind++) {
      sb.append(changeTable(cells, kind));
    }
    for (CellResult c : cells) {
      if (c.certNanos() >= 0) {
        sb.append("- ").append(c.proxies()).append(" x ").append(c.services()).append(": ").append(c.proxies())
            .append(" workload certificates issued in-process before the clock started: ")
            .append(fmt(c.certNanos() / 1e9)).append(" s\n");
      }
      c.failure().ifPresent(f -> sb.append("- **").append(c.proxies()).append(" proxies x ").append(c.services())
          .append(" services stopped**: ").append(f).append('\n'));
      if (!c.problems().isEmpty()) {
        sb.append("- ").append(c.proxies()).append(" x ").append(c.services()).append(": the translator reported ")
            .append(c.problems().size()).append(" problem(s), first: ").append(c.problems().getFirst()).append('\n');
      }
    }
    return sb.append('\n').append(notes()).toString();
  }

  private static String setup(boolean mtls) {
    String transport = mtls
        ? "- P simulated sidecars connect to the mTLS xDS port, each over its own HTTP/2 connection with its own " +
          "workload certificate (P-256, issued by the control plane's CA in this process before the clock starts, " +
          "as a sidecar has its certificate before it connects), verifying the control plane's SPIFFE ID; the " +
          "control plane authorizes each stream's node id against the certificate. Handshakes (both sides) are in " +
          "the sync time and CPU. Each sidecar holds one ADS state-of-the-world stream"
        : "- P simulated sidecars connect to the plaintext xDS port (`--insecure-xds-port`) over 4 shared HTTP/2 " +
          "connections, one ADS state-of-the-world stream each";
    return SETUP_HEAD + transport + SETUP_REST;
  }

  private static final String SETUP_HEAD = """
        ## Setup

        - A real `ControlPlane` (config-dir watcher, store, policy engine, translator, xDS server on port 0) \
        reads a generated mesh from a temporary directory: P sidecar Workloads (`10.x.y.z`, never dialled), \
        S Services each selecting one of them (every workload backs S/P services), namespace-wide STRICT mTLS, \
        AuthorizationPolicies on tiers t0 and t3, a CiliumNetworkPolicy with L7 HTTP rules on tier t1 \
        (tier = workload index mod 10).
        """;

  private static final String SETUP_REST = """
        , and subscribe as weft's proxy and Envoy do (CDS; EDS by name; LDS once EDS is in; RDS named by the \
        listeners; SDS `ROOTCA`), ACKing every response at once without compiling it.
        - Policy edit: the tier-t0 AuthorizationPolicy file is rewritten (temp file + rename) with another path; \
        endpoint added: a new Workload file, a replica of one workload (same labels and service account), i.e. one \
        more endpoint for each service that workload backs. Each change is measured from the file write; a proxy \
        is affected when a type it subscribes to gets a new version, and its figure is the time of its ACK of \
        the last such type (its own timestamp, taken when the ACK is sent).
        - `write→published` runs until the xDS server's publish returned, and includes the config-dir watcher's \
        100 ms debounce, the load, one full translation and the publish, which itself hands the new snapshot to \
        every proxy's stream (so proxies served early ACK before it ends); `translate` is that translation alone (weft translates every proxy's snapshot on each \
        change). `full translation` times the translator three times over the synced store (median). Translation \
        CPU is the translating thread's own CPU time, which other load on the machine does not inflate as it \
        does wall time. `sidecars CPU` is the simulated proxies' event-loop threads (decode, ACK); `CP CPU` is the \
        rest of the process: the control plane (config dir, store, translation, xDS server, gRPC, GC) plus the \
        harness's idle polling. Heap: used heap after `System.gc()`, minus the harness's before the control plane \
        started (so: the control plane plus the simulated proxies' small state).
        - A 5-proxy x 20-service warm-up run comes first and is not reported, so class loading and the JIT's \
        first compilations do not land in the first cell.

        """;

  private static String syncTable(List<CellResult> cells) {
    StringBuilder sb = header(SYNC_TITLE, SYNC_COLUMNS);
    for (CellResult c : cells) {
      CpuTime.Reading cpu = c.syncCpu();
      row(sb, c.proxies(), c.services(), c.clustersPerProxy(), seconds(c.syncNanos()), mib(c.syncBytes()),
          cpu == null ? Double.NaN : cpu.controlPlane() / 1e9, cpu == null ? Double.NaN : cpu.proxies() / 1e9,
          millis(c.fullTranslateNanos()), millis(c.fullTranslateCpuNanos()), mib(c.heapSyncBytes()),
          mib(c.heapEndBytes()));
    }
    return sb.append('\n').toString();
  }

  private static String changeTable(List<CellResult> cells, int kind) {
    String title = cells.stream().filter(c -> c.changes().size() > kind).map(c -> c.changes().get(kind).kind())
        .findFirst().orElse(kind == 0 ? "policy edit" : "endpoint added");
    StringBuilder sb = header("Change: " + title + " → every affected proxy ACKed", CHANGE_COLUMNS);
    for (CellResult c : cells) {
      if (c.changes().size() <= kind || c.changes().get(kind).rounds() == 0) {
        double[] none = new double[CHANGE_COLUMNS.size()];
        Arrays.fill(none, Double.NaN);
        none[0] = c.proxies();
        none[1] = c.services();
        row(sb, none);
        continue;
      }
      ChangeResult r = c.changes().get(kind);
      Percentiles acks = Percentiles.of(r.perProxyAck());
      Percentiles all = Percentiles.of(r.allAcked());
      row(sb, c.proxies(), c.services(), Arrays.stream(r.affected()).average().orElse(Double.NaN),
          Arrays.stream(r.translated()).average().orElse(Double.NaN),
          Percentiles.of(r.published()).millis(50), acks.millis(50), acks.millis(99), acks.maxMillis(),
          all.millis(50), all.maxMillis(), Percentiles.of(r.translate()).millis(50),
          Percentiles.of(r.translateCpu()).millis(50), r.bytes() / 1024.0 / r.rounds(),
          r.cpu().controlPlane() / 1e9 / r.rounds(), r.cpu().proxies() / 1e9 / r.rounds());
    }
    return sb.append('\n').toString();
  }

  private static String notes() {
    return """
        ## Notes

        - **Istio, for scale only (the setups differ).** Istio's load-test mesh is 1000 services and 2000 \
        sidecars with 70,000 mesh-wide requests per second on Kubernetes. Its page says that with namespace \
        isolation (the Sidecar resource) one istiod supports those 1000 services and 2000 sidecars with 1 vCPU and \
        1.5 GB of memory, and that more istiod instances shorten the time to push config to every proxy \
        (https://istio.io/latest/docs/ops/deployment/performance-and-scalability/); the 1.12.3-1.16.2 summaries \
        report istiod at 1 vCPU and 1.5 GB (https://istio.io/v1.16/docs/ops/deployment/performance-and-scalability). \
        That is istiod alone, in its own pod, with Sidecar scoping, Kubernetes watches, real Envoys and traffic; \
        here the control plane shares one JVM and the cores with the simulated proxies, reads files, scopes \
        nothing, and no traffic flows. Azure's Istio add-on (asm-1-19, one istiod on a 16 vCPU / 64 GB node) \
        found istiod's capacity with 1,000 services at 20,000 sidecars, using about 15-16 CPUs and 40-43 GB \
        there, and 25,000 sidecars with 0% churn and one service at 32 GB \
        (https://learn.microsoft.com/en-us/azure/aks/istio-scale). Neither publishes a push/convergence time: \
        Istio exports it as the `pilot_proxy_convergence_time` histogram. Compare orders of magnitude, not ratios.
        - weft has no Sidecar-style scoping yet: every proxy gets every service, so per-proxy snapshots and \
        translation grow with proxies x services, and an added endpoint reaches every proxy (Istio without a \
        Sidecar resource behaves the same way for EDS).
        - An added endpoint resends every ClusterLoadAssignment a proxy subscribes to (one per service): the \
        xDS server (java-control-plane) answers a state-of-the-world EDS request with the whole subscribed set, \
        although the protocol lets an EDS/RDS response carry only the changed resources. Delta xDS, which weft's \
        server also speaks, sends only those; the simulated sidecars use SotW, as weft's proxy does.
        - The simulated proxies decode clusters and listeners only to follow EDS/RDS names; a real proxy also \
        compiles the config before ACKing, which this does not include.
        """;
  }

  private static StringBuilder header(String title, List<String> columns) {
    StringBuilder sb = new StringBuilder("### ").append(title).append("\n\n|");
    for (String c : columns) {
      sb.append(' ').append(c).append(" |");
    }
    return sb.append("\n|").append("---:|".repeat(columns.size())).append('\n');
  }

  private static void row(StringBuilder sb, double... values) {
    sb.append('|');
    for (double v : values) {
      sb.append(' ').append(fmt(v)).append(" |");
    }
    sb.append('\n');
  }

  /** Negative figures mean "not measured" (the cell stopped before). */
  private static double seconds(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e9;
  }

  private static double millis(long nanos) {
    return nanos < 0 ? Double.NaN : nanos / 1e6;
  }

  private static double mib(long bytes) {
    return bytes < 0 ? Double.NaN : bytes / (double) (1 << 20);
  }

  static String fmt(double v) {
    if (Double.isNaN(v)) {
      return "n/a";
    }
    double a = Math.abs(v);
    if (v == Math.rint(v) && a < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%,.0f" : a >= 10 ? "%.1f" : a >= 1 ? "%.2f" : "%.3f", v);
  }
}
